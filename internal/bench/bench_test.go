package bench

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
)

// api is what the benchmarks drive. The SDK and the baseline implement it
// over transports with the same settings, so only their own work differs.
type api interface {
	get(ctx context.Context) (string, error)              // GET getID, returns its id
	list(ctx context.Context, offset int) (int, error)    // one page of pageSize, returns its length
	walk(ctx context.Context, each func(id string)) error // every key, calling each with its id
}

type sdkAPI struct{ c *aistats.Client }

func (a sdkAPI) get(ctx context.Context) (string, error) {
	k, err := a.c.Keys.Get(ctx, getID)
	if err != nil {
		return "", err
	}
	return k.ID, nil
}

func (a sdkAPI) list(ctx context.Context, offset int) (int, error) {
	p, err := a.c.Keys.List(ctx, &aistats.ListKeysOptions{Limit: pageSize, Offset: offset})
	if err != nil {
		return 0, err
	}
	return len(p.Keys), nil
}

// walk hands each key's id on: a loop that never read the keys could let
// the compiler drop the page they sit in.
func (a sdkAPI) walk(ctx context.Context, each func(id string)) error {
	for k, err := range a.c.Keys.All(ctx, nil) {
		if err != nil {
			return err
		}
		each(k.ID)
	}
	return nil
}

type baseAPI struct{ c *baseline }

func (a baseAPI) get(ctx context.Context) (string, error) {
	k, err := a.c.Get(ctx, getID)
	if err != nil {
		return "", err
	}
	return k.ID, nil
}

func (a baseAPI) list(ctx context.Context, offset int) (int, error) {
	p, err := a.c.List(ctx, pageSize, offset)
	if err != nil {
		return 0, err
	}
	return len(p.Keys), nil
}

func (a baseAPI) walk(ctx context.Context, each func(id string)) error {
	return a.c.Walk(ctx, pageSize, func(k *baseKey) { each(k.ID) })
}

// newTransport is the transport both sides get: net/http's default with
// an idle pool as large as the concurrency benchmark needs.
func newTransport(tb testing.TB) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	tb.Cleanup(t.CloseIdleConnections)
	return t
}

func newSDK(tb testing.TB, s *server, opts ...aistats.Option) *aistats.Client {
	tb.Helper()
	c, err := aistats.NewClient(append([]aistats.Option{
		aistats.WithAPIKey(apiKey),
		aistats.WithBaseURL(s.baseURL()),
		aistats.WithRetryWait(time.Millisecond, 2*time.Millisecond),
	}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// variants are the two sides of every comparison.
var variants = []struct {
	name string
	make func(tb testing.TB, s *server) api
}{
	{"sdk", func(tb testing.TB, s *server) api {
		return sdkAPI{newSDK(tb, s, aistats.WithHTTPClient(&http.Client{Transport: newTransport(tb)}))}
	}},
	{"baseline", func(tb testing.TB, s *server) api {
		return baseAPI{newBaseline(&http.Client{Transport: newTransport(tb)}, s.baseURL(), apiKey)}
	}},
}

// benchGet runs b.N sequential Gets.
func benchGet(b *testing.B, c api) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for range b.N {
		if id, err := c.get(ctx); err != nil || id != getID {
			b.Fatalf("get: id %q, err %v", id, err)
		}
	}
	cpu.report(b)
}

// cpuMeter reports cpu-ns/op: the process's CPU time (client, server and
// runtime) per iteration of the timed loop. See cpuTime.
type cpuMeter struct {
	start time.Duration
	ok    bool
}

func startCPU() cpuMeter {
	t, ok := cpuTime()
	return cpuMeter{t, ok}
}

func (m cpuMeter) report(b *testing.B) {
	b.StopTimer()
	if t, ok := cpuTime(); ok && m.ok && b.N > 0 {
		b.ReportMetric(float64(t-m.start)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkGet: one key, sequentially, over a warm connection.
func BenchmarkGet(b *testing.B) {
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			benchGet(b, v.make(b, newServer(b, 1000)))
		})
	}
}

// BenchmarkPaired runs the SDK and the baseline call by call, alternating
// which goes first, and reports each side's median and mean time per call
// and the ratio of the medians (sdk/baseline). On a shared machine whose
// load changes from second to second, separate sub-benchmarks can land in
// different conditions; paired calls share them, and the median ignores
// the calls a descheduling stretched. allocs/op and B/op cover both sides
// together; the unpaired benchmarks give each side's own.
func BenchmarkPaired(b *testing.B) {
	cases := []struct {
		name string
		call func(tb testing.TB, s *server, side int) func(context.Context) error
	}{
		{"Get", func(tb testing.TB, s *server, side int) func(context.Context) error {
			c := variants[side].make(tb, s)
			return func(ctx context.Context) error { _, err := c.get(ctx); return err }
		}},
		{"List", func(tb testing.TB, s *server, side int) func(context.Context) error {
			c := variants[side].make(tb, s)
			return func(ctx context.Context) error { _, err := c.list(ctx, 0); return err }
		}},
		{"ColdStart", func(tb testing.TB, s *server, side int) func(context.Context) error {
			mk := coldClient[variants[side].name]
			return func(ctx context.Context) error { _, err := mk(tb, s).get(ctx); return err }
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			s := newServer(b, 1000)
			ctx := context.Background()
			var calls [2]func(context.Context) error
			for side := range calls {
				calls[side] = tc.call(b, s, side)
				if err := calls[side](ctx); err != nil { // warm up
					b.Fatal(err)
				}
			}
			var d [2][]time.Duration
			d[0], d[1] = make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				for k := range 2 {
					side := (i + k) % 2
					start := time.Now()
					if err := calls[side](ctx); err != nil {
						b.Fatal(err)
					}
					d[side] = append(d[side], time.Since(start))
				}
			}
			b.StopTimer()
			var med [2]float64
			for side := range d {
				slices.Sort(d[side])
				var sum time.Duration
				for _, x := range d[side] {
					sum += x
				}
				med[side] = float64(d[side][len(d[side])/2])
				b.ReportMetric(med[side], variants[side].name+"-median-ns")
				b.ReportMetric(float64(sum)/float64(len(d[side])), variants[side].name+"-mean-ns")
			}
			b.ReportMetric(med[0]/med[1], "sdk/baseline")
		})
	}
}

// BenchmarkList: one full page of pageSize keys.
func BenchmarkList(b *testing.B) {
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			c := v.make(b, newServer(b, 1000))
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			cpu := startCPU()
			for range b.N {
				if n, err := c.list(ctx, 0); err != nil || n != pageSize {
					b.Fatalf("list: %d keys, err %v", n, err)
				}
			}
			cpu.report(b)
		})
	}
}

// BenchmarkAll walks every key with pages of pageSize: time and bytes per
// key, the peak heap growth of one walk (peak-heap-B) and the most the walk
// keeps live (retained-B), which must not grow with the number of keys.
// Allocation figures include the in-process server's, the same for both
// sides.
func BenchmarkAll(b *testing.B) {
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			for _, n := range []int{1000, 50000} {
				b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) { benchAll(b, v.make(b, newServer(b, n)), n) })
			}
		})
	}
}

func benchAll(b *testing.B, c api, n int) {
	ctx := context.Background()
	walk := func(each func(i int)) {
		i, noID := 0, 0
		err := c.walk(ctx, func(id string) {
			if id == "" {
				noID++
			}
			each(i)
			i++
		})
		if err != nil || i != n || noID > 0 {
			b.Fatalf("walk: %d keys, %d without id, err %v", i, noID, err)
		}
	}
	nop := func(int) {}
	walk(nop) // warm the connection and the buffer pools
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		walk(nop)
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	keys := float64(b.N) * float64(n)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/keys, "ns/key")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/keys, "B/key")
	b.ReportMetric(float64(peakHeap(func() { walk(nop) })), "peak-heap-B")
	b.ReportMetric(float64(retainedHeap(walk)), "retained-B")
}

// peakHeap runs fn once from a collected heap and returns the peak growth
// of the heap's object bytes while it ran, sampled every millisecond. It
// counts garbage not yet collected, so it grows with the walk's length up
// to what the GC's pacing allows (GOGC), whatever the walk retains.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	hs := startHeapSampler()
	fn()
	return hs.Stop()
}

// retainedHeap walks once, collecting garbage at the last key of every
// page, and returns the largest growth of the live heap over the collected
// heap before the walk: what the walk holds on to while the caller is inside
// the loop. Each reading collects twice, which also empties the sync.Pools
// (the SDK's body buffers, net/http's): what sits in a pool is not held by
// the walk, and whether a buffer is there would otherwise depend on when
// the last background collection ran.
func retainedHeap(walk func(each func(i int))) uint64 {
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	collect := func() uint64 {
		runtime.GC()
		runtime.GC()
		metrics.Read(live)
		return live[0].Value.Uint64()
	}
	start := collect()
	peak := start
	walk(func(i int) {
		if i%pageSize == pageSize-1 {
			peak = max(peak, collect())
		}
	})
	return peak - start
}

const concurrency = 64

// runConcurrent calls fn n times from concurrency goroutines and returns
// the first error.
func runConcurrent(n int, fn func() error) error {
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) {
				if err := fn(); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

func getOnce(ctx context.Context, c api) func() error {
	return func() error {
		id, err := c.get(ctx)
		if err == nil && id != getID {
			err = fmt.Errorf("got key %q, want %q", id, getID)
		}
		return err
	}
}

// BenchmarkConcurrentGet: 64 goroutines share one client; ns/op is the
// inverse of throughput. After a warm-up wave (untimed), new-conns counts
// the TCP connections the server accepted during the timed calls, conns
// all it accepted: the cold start may dial a few more than 64 on either
// side, since net/http does not cancel a dial when an idle connection
// frees up first.
func BenchmarkConcurrentGet(b *testing.B) {
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			s := newServer(b, 1000)
			get := getOnce(context.Background(), v.make(b, s))
			if err := runConcurrent(warmupCalls, get); err != nil {
				b.Fatal(err)
			}
			warm := s.conns.Load()
			b.ReportAllocs()
			b.ResetTimer()
			cpu := startCPU()
			if err := runConcurrent(b.N, get); err != nil {
				b.Fatal(err)
			}
			cpu.report(b)
			b.ReportMetric(float64(s.conns.Load()), "conns")
			b.ReportMetric(float64(s.conns.Load()-warm), "new-conns")
		})
	}
}

// warmupCalls fills the idle pool: ten calls per goroutine.
const warmupCalls = 10 * concurrency

// coldClient makes a fresh client per call, as BenchmarkColdStart describes,
// the way a program would: the SDK with its key and base URL, nothing more.
var coldClient = map[string]func(tb testing.TB, s *server) api{
	"sdk": func(tb testing.TB, s *server) api {
		c, err := aistats.NewClient(aistats.WithAPIKey(apiKey), aistats.WithBaseURL(s.baseURL()))
		if err != nil {
			tb.Fatal(err)
		}
		return sdkAPI{c}
	},
	"baseline": func(tb testing.TB, s *server) api {
		return baseAPI{newBaseline(http.DefaultClient, s.baseURL(), apiKey)}
	},
}

// BenchmarkColdStart: each iteration makes a new client and times it up
// to its first answer (construction, then one Get).
//
// The SDK side calls aistats.NewClient without WithHTTPClient, as a program
// that makes a client per job or per tenant would, so it runs over the
// transport every such client shares. The baseline is what a hand-written
// program does for a fresh client: newBaseline over http.DefaultClient,
// whose transport is also shared process-wide. So both sides reuse the
// warm connection the previous iteration left in their shared pool and
// neither dials: the figure is the cost of building a client plus its
// first call. (Giving every client a brand-new *http.Transport would dial a
// TCP connection per iteration on both sides and leave the old pools' idle
// connections open; it measures the kernel and leaks.) new-conns counts
// the connections the server accepted during the timed iterations: 0 on
// both sides when the pool is shared.
func BenchmarkColdStart(b *testing.B) {
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			s := newServer(b, 1000)
			mk := coldClient[v.name]
			ctx := context.Background()
			if _, err := mk(b, s).get(ctx); err != nil { // warm the shared pool
				b.Fatal(err)
			}
			warm := s.conns.Load()
			b.ReportAllocs()
			b.ResetTimer()
			cpu := startCPU()
			for range b.N {
				if id, err := mk(b, s).get(ctx); err != nil || id != getID {
					b.Fatalf("get: id %q, err %v", id, err)
				}
			}
			cpu.report(b)
			b.ReportMetric(float64(s.conns.Load()-warm), "new-conns")
		})
	}
}

// BenchmarkRetryOverhead: the success path must cost the same whether
// retries are enabled or not.
func BenchmarkRetryOverhead(b *testing.B) {
	for _, retries := range []int{aistats.DefaultMaxRetries, 0} {
		b.Run(fmt.Sprintf("retries=%d", retries), func(b *testing.B) {
			s := newServer(b, 1000)
			hc := &http.Client{Transport: newTransport(b)}
			benchGet(b, sdkAPI{newSDK(b, s, aistats.WithHTTPClient(hc), aistats.WithMaxRetries(retries))})
		})
	}
}

// TestConnectionReuse checks the idle pool of the SDK's default transport:
// once warm, 64 goroutines sharing a client make 10,000 calls over the
// connections they have, opening at most 2 more (at most 66 in all). The
// cold start is not counted: there net/http may dial a few more than 64
// with any pool size, since it does not cancel a dial when an idle
// connection frees up first. The control case, net/http's stock pool of 2
// idle connections per host, shows that the count detects a small pool.
func TestConnectionReuse(t *testing.T) {
	t.Parallel()
	const maxNew = 2
	tests := []struct {
		name   string
		calls  int
		opts   []aistats.Option
		reuses bool
	}{
		{name: "sdk default transport", calls: 10000, reuses: true},
		{name: "stock transport (control)", calls: 1000,
			opts: []aistats.Option{aistats.WithHTTPClient(&http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, 1000)
			get := getOnce(context.Background(), sdkAPI{newSDK(t, s, tt.opts...)})
			if err := runConcurrent(warmupCalls, get); err != nil {
				t.Fatal(err)
			}
			warm := s.conns.Load()
			start := time.Now()
			if err := runConcurrent(tt.calls, get); err != nil {
				t.Fatal(err)
			}
			got := s.conns.Load() - warm
			t.Logf("warm-up: %d connections; %d calls from %d goroutines: %d new connections in %s",
				warm, tt.calls, concurrency, got, time.Since(start))
			if reused := got <= maxNew; reused != tt.reuses {
				t.Errorf("server accepted %d new connections; want at most %d: %v", got, maxNew, tt.reuses)
			}
		})
	}
}
