# data-loss.gp - cspsim chart; run `gnuplot data-loss.gp` in this directory: writes data-loss.png and data-loss.svg
reset
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
    set terminal pngcairo size 1280,720 noenhanced font 'sans,12'
} else {
    set terminal png size 1280,720 noenhanced
}
set output 'data-loss.png'
set title 'charts-demo: Licenses with data loss (cumulative, per day)' font ',16'
set grid xtics ytics lc rgb '#d0d0d0'
set border 3
set tics nomirror
set xdata time
set timefmt '%Y-%m-%d'
set format x '%Y-%m-%d'
set xtics rotate by -30
set xlabel 'date (UTC)'
set xrange ['2025-01-01':'2025-03-31']
set ylabel 'licenses with data loss'
set yrange [0:*]
set key outside right top vertical box
plot 'data-loss.dat' using 1:2 with steps lw 3 lc rgb '#b00000' title 'licenses with data loss'
set terminal svg size 1280,720 noenhanced font 'sans,12' background '#ffffff'
set output 'data-loss.svg'
replot
unset output
