# SPDX-License-Identifier: GPL-2.0
# gnuplot -e "dir='RESULTS'" plot.gp  ->  RESULTS/bench.png
set terminal pngcairo size 1200,500 font ",11"
set output dir."/bench.png"
set multiplot layout 1,2 title "hv\\_netvsc: ours vs in-tree vs veth (TCP, iperf3, one guest boot)"
set grid
set key bottom left box opaque
set ylabel "Gbit/s"
set xlabel "parallel streams"
set logscale x 2
set xrange [0.8:80]
set yrange [0:*]
set xtics ("1" 1, "8" 8, "64" 64)
plot dir."/streams.dat" using 1:2 with linespoints lw 2 title "ours", \
     ""                 using 1:3 with linespoints lw 2 title "in-tree", \
     ""                 using 1:4 with linespoints lw 2 dt 2 title "veth"
unset logscale x
set xrange [*:*]
set xtics autofreq 1
set xlabel "channels (ethtool -L combined N), -P8"
plot dir."/sweep.dat" using 1:2 with linespoints lw 2 title "ours", \
     ""               using 1:3 with linespoints lw 2 title "in-tree"
unset multiplot
