# The chart in docs/benchmarks/README.md (tenth and eleventh passes): gnuplot docs/benchmarks/stream-heap-per-stream.gp
# Data: heap per open stream, KB, from that section's table.
$heap << EOD
"ninth pass\n(WebFlux request\nkept open)" 40.4
"handover,\noperators" 11.7
"composed\nby hand" 10.4
"exchange\nlet go" 8.7
"10 000 streams\n(b4bfabd)" 8.3
"19 000 streams\n(8f40b7d)" 8.1
"headers let go,\n10 000 streams" 7.5
"one subscription\nobject (median\nof 5 runs)" 6.5
EOD
set terminal pngcairo size 1150,540 font "DejaVu Sans,10"
set output "docs/benchmarks/stream-heap-per-stream.png"  # run from the repository root
set title "Heap per open SSE stream (fan-out bench; ninth pass: histogram), issue 24 target 8 KB"
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.7
set ylabel "KB per stream"
set yrange [0:45]
set grid ytics
set bmargin 5
set arrow from graph 0, first 8 to graph 1, first 8 nohead lc rgb "red" dt 2 lw 2
set label "target 8 KB" at graph 0.02, first 10 tc rgb "red"
plot $heap using 2:xtic(1) notitle lc rgb "#4477aa", $heap using 0:($2+1.5):(sprintf("%.1f",$2)) with labels notitle
