# lifecycle.gp - cspsim chart; run `gnuplot lifecycle.gp` in this directory: writes lifecycle.png and lifecycle.svg
reset
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
    set terminal pngcairo size 1280,720 noenhanced font 'sans,12'
} else {
    set terminal png size 1280,720 noenhanced
}
set output 'lifecycle.png'
set title 'charts-demo: Subscription lifecycles' font ',16'
set grid xtics ytics lc rgb '#d0d0d0'
set border 3
set tics nomirror
set xdata time
set timefmt '%Y-%m-%dT%H:%M:%SZ'
set format x '%Y-%m-%d'
set xtics rotate by -30
set xlabel 'date (UTC)'
set xrange ['2025-01-01T00:00:00Z':'2025-04-01T00:00:00Z']
set ylabel 'tenant / subscription'
set yrange [4.5:-0.5]
set ytics font ',12'
set ytics ('fabrikam / fab-e3' 0, 'fabrikam / fab-bp' 1, 'tailspin / tail-a' 2, 'tailspin / tail-b' 3, 'woodgrove / wood-e3' 4)
set grid noytics
set key outside right top vertical box opaque
set style textbox opaque fc rgb '#ffffff' noborder
mid = 1739577600 # the chart's middle (seconds since 1970): labels turn left after it
set style fill solid 1.0 noborder
statecolour(s) = s == 1 ? 15910724 : s == 2 ? 8370406 : s == 3 ? 3841615 : s == 4 ? 15108654 : s == 5 ? 13192268 : s == 6 ? 9198504 : s == 7 ? 4210752 : s == 8 ? 10526880 : 0
plot \
    'lifecycle.dat' index 0 using (timecolumn(2)):1:(timecolumn(2)):(timecolumn(3)):($1-0.35):($1+0.35):(statecolour($4)) with boxxyerror lc rgb variable notitle, \
    keyentry with boxes lc rgb '#f2c744' title 'pending', \
    keyentry with boxes lc rgb '#7fb8e6' title 'trial', \
    keyentry with boxes lc rgb '#3a9e4f' title 'active', \
    keyentry with boxes lc rgb '#e68a2e' title 'suspended', \
    keyentry with boxes lc rgb '#c94c4c' title 'expired', \
    keyentry with boxes lc rgb '#8c5ba8' title 'disabled', \
    keyentry with boxes lc rgb '#404040' title 'deleted', \
    keyentry with boxes lc rgb '#a0a0a0' title 'canceled', \
    'lifecycle.dat' index 1 using 1:2 with points pt 9 ps 1.8 lc rgb '#000000' title 'scripted action', \
    'lifecycle.dat' index 2 using 1:2 with points pt 2 ps 2.2 lw 3 lc rgb '#e00000' title 'rejected action (reason)', \
    'lifecycle.dat' index 2 using 1:((1) && (timecolumn(1) < mid) ? $2 : NaN):(strcol(4)) with labels boxed left offset 1.2,0.8 font ',11' tc rgb '#e00000' notitle, \
    'lifecycle.dat' index 2 using 1:((1) && (timecolumn(1) >= mid) ? $2 : NaN):(strcol(4)) with labels boxed right offset -1.2,0.8 font ',11' tc rgb '#e00000' notitle, \
    'lifecycle.dat' index 3 using 1:(strcol(3) eq 'data_loss' ? $2 : NaN) with points pt 7 ps 2.6 lc rgb '#b00000' title 'DATA LOST (deleted, not replaced)', \
    'lifecycle.dat' index 3 using 1:((strcol(3) eq 'data_loss') && (timecolumn(1) < mid) ? $2 : NaN):(sprintf('DATA LOST: %s licenses', strcol(4))) with labels boxed left offset 1.2,-0.9 font ',11' tc rgb '#b00000' notitle, \
    'lifecycle.dat' index 3 using 1:((strcol(3) eq 'data_loss') && (timecolumn(1) >= mid) ? $2 : NaN):(sprintf('DATA LOST: %s licenses', strcol(4))) with labels boxed right offset -1.2,-0.9 font ',11' tc rgb '#b00000' notitle, \
    'lifecycle.dat' index 3 using 1:(strcol(3) eq 'renewal_completed' ? $2 : NaN) with points pt 6 ps 1.8 lw 2 lc rgb '#000000' title 'renewed (new term)', \
    NaN notitle
set terminal svg size 1280,720 noenhanced font 'sans,12' background '#ffffff'
set output 'lifecycle.svg'
replot
unset output
