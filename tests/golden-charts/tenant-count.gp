# tenant-count.gp - cspsim chart; run `gnuplot tenant-count.gp` in this directory: writes tenant-count.png and tenant-count.svg
reset
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
    set terminal pngcairo size 1280,720 noenhanced font 'sans,12'
} else {
    set terminal png size 1280,720 noenhanced
}
set output 'tenant-count.png'
set title 'charts-demo: Live subscriptions per tenant' font ',16'
set grid xtics ytics lc rgb '#d0d0d0'
set border 3
set tics nomirror
set xdata time
set timefmt '%Y-%m-%dT%H:%M:%SZ'
set format x '%Y-%m-%d'
set xtics rotate by -30
set xlabel 'date (UTC)'
set xrange ['2025-01-01T00:00:00Z':'2025-04-01T00:00:00Z']
set ylabel 'live subscriptions (pending, trial, active, suspended)'
set key outside right top vertical box
set yrange [0:6]
plot \
    'tenant-count.dat' index 0 using 1:2 with steps lw 3 lc rgb '#1f77b4' title 'tailspin', \
    'tenant-count.dat' index 1 using 1:2 with steps lw 3 lc rgb '#d62728' title 'fabrikam', \
    5 with lines dt 2 lw 2 lc rgb '#c00000' title 'tenant limit (5)', \
    2.5 with lines dt 3 lw 2 lc rgb '#e08000' title 'duplication line (a move of more than 2 subscriptions exceeds the limit)'
set terminal svg size 1280,720 noenhanced font 'sans,12' background '#ffffff'
set output 'tenant-count.svg'
replot
unset output
