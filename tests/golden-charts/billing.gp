# billing.gp - cspsim chart; run `gnuplot billing.gp` in this directory: writes billing.png and billing.svg
reset
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
    set terminal pngcairo size 1280,720 noenhanced font 'sans,12'
} else {
    set terminal png size 1280,720 noenhanced
}
set output 'billing.png'
set title 'charts-demo: Cumulative billed and refunded per partner' font ',16'
set grid xtics ytics lc rgb '#d0d0d0'
set border 3
set tics nomirror
set xdata time
set timefmt '%Y-%m-%d'
set format x '%Y-%m-%d'
set xtics rotate by -30
set xlabel 'date (UTC)'
set xrange ['2025-01-01':'2025-04-01']
set ylabel 'amount (currency units)'
set yrange [0:*]
set key outside right top vertical box
plot \
    'billing.dat' index 0 using 1:2 with steps lw 3 lc rgb '#1f77b4' title 'contoso billed', \
    'billing.dat' index 0 using 1:3 with steps lw 3 dt 2 lc rgb '#1f77b4' title 'contoso refunded', \
    'billing.dat' index 1 using 1:2 with steps lw 3 lc rgb '#d62728' title 'northwind billed', \
    'billing.dat' index 1 using 1:3 with steps lw 3 dt 2 lc rgb '#d62728' title 'northwind refunded'
set terminal svg size 1280,720 noenhanced font 'sans,12' background '#ffffff'
set output 'billing.svg'
replot
unset output
