// Package bench compares the aistats SDK with a hand-written net/http client
// (typed structs, json.Decoder off the body) in the same run, against one
// in-memory loopback server per benchmark that serves pretty-printed
// answers of one API version. It holds no code outside its tests.
//
// Get, List, All and Paired (Get, List, All of 1,000 keys, ColdStart) run
// on both versions, named <Benchmark>/<version>/<side>
// (All/<version>/keys=<n>/<side>, Paired/<call>/<version>):
//
//   - 2026-07 (the credential phaseo_v1_mk_…): Get is Keys.Get of a
//     management key (/v1/management-keys/{id}, {"data": …}); List and
//     All are APIKeys.List and APIKeys.All (/v1/keys, {"data": […],
//     "total_count": n}).
//   - 2026-03 (aistats_v1_sk_…): Keys.Get, Keys.List and Keys.All on
//     /v1/management/keys, {"ok": true, …}.
//
// ConcurrentGet, ColdStart, RetryOverhead and TestConnectionReuse use
// 2026-07 only. Reproduce with:
//
//	go test -run='^$' -bench='^Benchmark(Get|List|All|ColdStart|ConcurrentGet)$' -benchmem -count=6 ./internal/bench/ | tee /tmp/bench.txt
//	sed -E 's#/(sdk|baseline)([/ -])#/side=\1\2#' /tmp/bench.txt > /tmp/bench-sides.txt
//	benchstat -col /side /tmp/bench-sides.txt
//	go test -run='^$' -bench='^BenchmarkPaired$' -benchtime=2s -count=6 ./internal/bench/ | tee /tmp/paired.txt
//
// (benchstat can put the two sides in columns only by a key=value name
// part, hence the sed.)
package bench
