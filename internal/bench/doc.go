// Package bench compares the aistats SDK with a hand-written net/http client
// in the same run, against one in-memory loopback server per benchmark that
// serves pretty-printed Generation-A responses. It holds no code outside its
// tests. Reproduce with:
//
//	go test -run='^$' -bench=. -benchmem -count=6 ./internal/bench/ | tee /tmp/bench.txt
//	benchstat /tmp/bench.txt
package bench
