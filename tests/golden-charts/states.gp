# states.gp - cspsim chart; run `gnuplot states.gp` in this directory: writes states.png and states.svg
reset
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
    set terminal pngcairo size 1280,720 noenhanced font 'sans,12'
} else {
    set terminal png size 1280,720 noenhanced
}
set output 'states.png'
set title 'charts-demo: Subscriptions by state (whole population, per day)' font ',16'
set grid xtics ytics lc rgb '#d0d0d0'
set border 3
set tics nomirror
set xdata time
set timefmt '%Y-%m-%d'
set format x '%Y-%m-%d'
set xtics rotate by -30
set xlabel 'date (UTC)'
set xrange ['2025-01-01':'2025-03-31']
set ylabel 'subscriptions'
set yrange [0:*]
set ytics 1
set key outside right top vertical box
set style fill solid 1.0 noborder
plot \
    'states.dat' using 1:17 with fillsteps lc rgb '#a0a0a0' title 'canceled', \
    'states.dat' using 1:16 with fillsteps lc rgb '#404040' title 'deleted', \
    'states.dat' using 1:15 with fillsteps lc rgb '#8c5ba8' title 'disabled', \
    'states.dat' using 1:14 with fillsteps lc rgb '#c94c4c' title 'expired', \
    'states.dat' using 1:13 with fillsteps lc rgb '#e68a2e' title 'suspended', \
    'states.dat' using 1:12 with fillsteps lc rgb '#3a9e4f' title 'active', \
    'states.dat' using 1:11 with fillsteps lc rgb '#7fb8e6' title 'trial', \
    'states.dat' using 1:10 with fillsteps lc rgb '#f2c744' title 'pending'
set terminal svg size 1280,720 noenhanced font 'sans,12' background '#ffffff'
set output 'states.svg'
replot
unset output
