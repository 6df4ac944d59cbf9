package aistats

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// maxResponseBody caps what one response may hold; a larger body is refused
// with ErrResponseTooLarge instead of being read into memory whole.
const maxResponseBody = 10 << 20

// ErrResponseTooLarge is returned when a response body exceeds 10 MiB.
var ErrResponseTooLarge = errors.New("aistats: response body exceeds 10 MiB")

// AttemptTimeoutError is one attempt running past the per-attempt timeout
// (WithTimeout). It matches context.DeadlineExceeded and is a net.Error
// with Timeout() true. The call's own context was still live.
type AttemptTimeoutError struct{ After time.Duration }

func (e *AttemptTimeoutError) Error() string {
	return fmt.Sprintf("attempt timed out after %s", e.After)
}
func (e *AttemptTimeoutError) Unwrap() error   { return context.DeadlineExceeded }
func (e *AttemptTimeoutError) Timeout() bool   { return true }
func (e *AttemptTimeoutError) Temporary() bool { return true }

// attemptTransport is the RoundTripper under go-retryablehttp. Per attempt
// it applies the timeout, counts and logs the attempt, and reads the whole
// body (capped) while the attempt's deadline still holds, so a truncated or
// oversized body is an attempt failure the retry policy can judge.
//
// It deliberately has no CloseIdleConnections method: go-retryablehttp calls
// that on every failure, and it must not empty the pool of a caller's client.
type attemptTransport struct {
	user    *http.Client // the caller's client; its Transport is read per attempt
	timeout time.Duration
	logger  *slog.Logger
}

func (t *attemptTransport) roundTripper() http.RoundTripper {
	if t.user != nil {
		if rt := t.user.Transport; rt != nil {
			return rt
		}
		return http.DefaultTransport
	}
	return defaultRoundTripper()
}

var errNoTransport = errors.New("no RoundTripper: http.DefaultTransport is nil")

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// Client.do hands the first attempt a request that already carries that
	// attempt's context, not yet started, in the call's allocation: that
	// attempt needs no copy of the request. Later attempts (and requests
	// not built by do) carry the call's context; they get a new attempt
	// context, on a shallow copy of the request.
	var (
		actx   *attemptCtx
		parent context.Context // the call's context
		bb     *bufferedBody
		areq   = req
	)
	if a, ok := req.Context().(*attemptCtx); ok && !a.started() {
		actx, parent = a, a.parent
		if cc, ok := parent.(*callCtx); ok {
			bb = &cc.call.body
		}
	} else {
		parent = req.Context()
		if a, ok := parent.(*attemptCtx); ok { // a first attempt's request, sent again
			parent = a.parent
		}
		actx = new(attemptCtx)
		areq = req.WithContext(actx)
	}
	if bb == nil {
		bb = new(bufferedBody)
	}
	call := callFrom(parent)
	attempt := 0
	if call != nil {
		call.attempts++
		call.newAttempt()
		attempt = call.attempts
	}
	timeout := t.timeout
	if call != nil {
		actx.attempt = attempt // CallInfo.Attempt
		if call.timeout > 0 {
			timeout = call.timeout // CallAttemptTimeout
		}
	}
	start := time.Now()
	actx.start(parent, start, timeout)
	var resp *http.Response
	// A call whose context is already done sends nothing: no transport is
	// asked, so nothing can have reached the server (and the outcome of a
	// Create stays known).
	err := parent.Err()
	deadOnArrival := err != nil
	switch rt := t.roundTripper(); {
	case deadOnArrival:
	case rt == nil:
		err = errNoTransport
	default:
		if call != nil {
			call.inTransport.Store(true)
		}
		resp, err = rt.RoundTrip(areq)
		if call != nil {
			call.inTransport.Store(false)
		}
	}
	switch {
	case err != nil && resp != nil && resp.Body != nil:
		resp.Body.Close() // RoundTripper broke its contract; net/http ignores such a response too
	case err == nil && resp == nil:
		err = errors.New("RoundTripper returned a nil *http.Response with a nil error")
	case err == nil:
		if resp.Body == nil { // allowed by net/http's Client (golang.org/issue/38095)
			resp.Body = http.NoBody
		}
		if call != nil && call.discard2xx && resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			discardBody(resp, bb)
		} else {
			err = bufferBody(resp, bb)
		}
	}
	// What CallResponseInto reports: a response whose body then failed
	// (truncated, too large) still arrived, and its request id is what a
	// caller needs after an unknown outcome.
	arrived := resp
	if err != nil {
		resp = nil
		if actx.Err() == context.DeadlineExceeded && parent.Err() == nil {
			err = &AttemptTimeoutError{After: timeout}
		}
		if call != nil && !deadOnArrival && parent.Err() != nil && !call.neverSent(err) {
			// Cancelled mid-flight: the server may have acted on it.
			call.outcomeUnknown = true
		}
	}
	if call != nil && call.respInto != nil {
		call.lastResp = nil
		if arrived != nil {
			call.lastResp = publicResponse(arrived, call.scrub.get())
		}
	}
	actx.finish()
	if areq == req && (resp == nil || resp.StatusCode < 200 || resp.StatusCode > 299) {
		// go-retryablehttp asks CheckRetry with the request's context next,
		// then waits out the backoff on it: from here on the request it
		// holds must carry the call's context, not this finished attempt's.
		// (A 2xx is delivered whatever the context says: no retry.)
		if cc, ok := parent.(*callCtx); ok && cc.call.req.Request == req {
			cc.call.req.Request = req.WithContext(parent)
		}
	}
	if t.logger != nil {
		var scrub *scrubber
		if call != nil {
			scrub = call.scrub.get()
		}
		logAttempt(parent, t.logger, req, attempt, time.Since(start), resp, err, scrub)
	}
	return resp, err
}

// callCtx is the context of a call's request as go-retryablehttp sees it
// (CheckRetry receives nothing else): the caller's context plus the call.
// It does what context.WithValue(ctx, callKey{}, call) did, inside the
// call's own allocation.
type callCtx struct {
	context.Context
	call *call
}

func (c *callCtx) Value(key any) any {
	if key == (callKey{}) {
		return &c.call.callState
	}
	return c.Context.Value(key)
}

// attemptCtx is the context of one attempt: its parent (the call's context)
// bounded by the per-attempt timeout. It behaves like the context that
// context.WithTimeout(parent, timeout) returns, cancelled when the attempt
// ends, at a fraction of the cost:
//
//   - the timer is pooled and stays armed between attempts (attemptTimer);
//   - the first attempt's context lives in the call's allocation and is the
//     context of the request Client.do builds (so no copy of the request);
//   - it has the AfterFunc method that context.WithCancel and
//     context.AfterFunc look for, so the context net/http derives for each
//     request is cancelled through it without a goroutine (and without the
//     children map a *context.cancelCtx parent would allocate).
//
// A context is started once, by the goroutine running the attempt, before it
// is handed to the transport (until then it answers as its parent); after
// that only cancel, Err and the registered functions change, under mu.
type attemptCtx struct {
	parent     context.Context
	attempt    int // the call's attempt number (1, 2…); 0 for a request not sent by Client.do
	deadline   time.Time
	done       chan struct{}
	timer      *attemptTimer // nil if the parent's deadline comes first
	stopParent func() bool   // ends the propagation of the parent's cancellation

	mu  sync.Mutex
	err error
	fns []func() // registered by AfterFunc; an entry is nil once run or stopped
	fn0 [1]func()
}

func (a *attemptCtx) started() bool { return a.done != nil }

// start begins the attempt at now: done after timeout, when the parent is
// done, or when finish is called, whichever comes first.
func (a *attemptCtx) start(parent context.Context, now time.Time, timeout time.Duration) {
	a.parent = parent
	a.done = make(chan struct{})
	a.deadline = now.Add(timeout)
	if err := parent.Err(); err != nil {
		a.cancel(err)
		return
	}
	if d, ok := parent.Deadline(); ok && d.Before(a.deadline) {
		a.deadline = d // as context.WithDeadline: the parent's deadline alone ends it
	} else {
		a.timer = armTimer(a, now, a.deadline)
	}
	if parent.Done() != nil {
		a.stopParent = context.AfterFunc(parent, func() { a.cancel(parent.Err()) })
	}
}

// finish ends the attempt as the cancel function of context.WithTimeout
// does: the timer is stopped, the parent no longer propagates, and the
// context is cancelled with context.Canceled (a no-op if it already was).
func (a *attemptCtx) finish() {
	if a.timer != nil {
		a.timer.disarm()
		a.timer = nil
	}
	if a.stopParent != nil {
		a.stopParent()
		a.stopParent = nil
	}
	a.cancel(context.Canceled)
}

// cancel marks the context done with err, once, and runs the functions
// registered by AfterFunc. They run synchronously, outside mu, as a
// context.cancelCtx cancels its children: what reaches this method is the
// cancel function that context.WithCancel or context.AfterFunc registers for
// a derived context (context.AfterFunc starts the caller's own function in
// a goroutine itself).
func (a *attemptCtx) cancel(err error) {
	a.mu.Lock()
	if a.err != nil {
		a.mu.Unlock()
		return
	}
	a.err = err
	close(a.done)
	fns := a.fns
	a.fns = nil
	a.mu.Unlock()
	for i, f := range fns {
		if f != nil {
			f()
			fns[i] = nil
		}
	}
}

// Until start, the context is its parent: a request carries its first
// attempt's context from Client.do on, and nothing consults it before
// RoundTrip starts it (http.Client without a Timeout does not).

func (a *attemptCtx) Deadline() (time.Time, bool) {
	if !a.started() {
		return a.parent.Deadline()
	}
	return a.deadline, true
}

func (a *attemptCtx) Done() <-chan struct{} {
	if !a.started() {
		return a.parent.Done()
	}
	return a.done
}

func (a *attemptCtx) Value(key any) any {
	if key == (callInfoKey{}) && a.attempt > 0 {
		return a // CallInfoFromContext reads the attempt and its call
	}
	return a.parent.Value(key)
}

func (a *attemptCtx) Err() error {
	if !a.started() {
		return a.parent.Err()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

// AfterFunc arranges for f to run once the context is done and returns a
// function that unregisters it (true if that stopped f from running), as
// context.AfterFunc documents for contexts that have this method.
func (a *attemptCtx) AfterFunc(f func()) func() bool {
	if !a.started() {
		return context.AfterFunc(a.parent, f)
	}
	a.mu.Lock()
	if a.err != nil {
		a.mu.Unlock()
		go f()
		return func() bool { return false }
	}
	if a.fns == nil {
		a.fns = a.fn0[:0]
	}
	i := len(a.fns)
	a.fns = append(a.fns, f)
	a.mu.Unlock()
	return func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		if i >= len(a.fns) || a.fns[i] == nil {
			return false // already run, or stopped
		}
		a.fns[i] = nil
		return true
	}
}

// attemptTimer cancels an attemptCtx when its deadline passes. Timers are
// pooled and left running between attempts: a timer armed for an earlier
// attempt's deadline, which is no later than the next attempt's, is kept,
// and when it fires it re-arms itself for whatever the current attempt
// has left. With one timeout per client, consecutive attempts therefore
// touch no runtime timer at all (time.AfterFunc and Stop, or Reset and
// Stop, cost two timer-heap operations per attempt); a timer fires about
// once per timeout period, for nothing or to re-arm.
type attemptTimer struct {
	t *time.Timer

	mu       sync.Mutex
	target   *attemptCtx // the attempt it guards; nil while pooled
	deadline time.Time   // target's deadline
	armedFor time.Time   // when t fires; zero if it is stopped
}

var timerPool = sync.Pool{New: func() any {
	at := new(attemptTimer)
	at.t = time.AfterFunc(time.Hour, at.fire)
	at.t.Stop()
	return at
}}

// armTimer guards a until deadline (now + d) with a pooled timer.
func armTimer(a *attemptCtx, now, deadline time.Time) *attemptTimer {
	at := timerPool.Get().(*attemptTimer)
	at.mu.Lock()
	at.target, at.deadline = a, deadline
	if at.armedFor.IsZero() || at.armedFor.After(deadline) {
		at.t.Reset(deadline.Sub(now))
		at.armedFor = deadline
	}
	at.mu.Unlock()
	return at
}

// disarm ends the guard and pools the timer, still armed: fire does
// nothing without a target.
func (at *attemptTimer) disarm() {
	at.mu.Lock()
	at.target = nil
	at.mu.Unlock()
	timerPool.Put(at)
}

func (at *attemptTimer) fire() {
	at.mu.Lock()
	at.armedFor = time.Time{}
	a := at.target
	if a == nil {
		at.mu.Unlock()
		return // no attempt: stay stopped until the next armTimer
	}
	if now := time.Now(); now.Before(at.deadline) {
		// Armed for an earlier attempt: wait for this one's deadline.
		at.t.Reset(at.deadline.Sub(now))
		at.armedFor = at.deadline
		at.mu.Unlock()
		return
	}
	at.mu.Unlock()
	a.cancel(context.DeadlineExceeded)
}

// bufferedBody is a response body already read into memory. Its bytes are
// handed to the decoder without another copy; the buffer goes back to a pool
// once the call is done with it.
type bufferedBody struct {
	bytes.Reader
	buf *[]byte
}

func (b *bufferedBody) Close() error { return nil }

// data returns the whole body regardless of how much was read.
func (b *bufferedBody) data() []byte { return *b.buf }

var bodyPool = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// release returns the buffer to the pool; the body must not be used after.
func (b *bufferedBody) release() {
	if b.buf != nil {
		putBuf(b.buf)
	}
	b.buf = nil
}

// putBuf pools a buffer unless an unusually large body grew it: a hostile
// server must not pin megabytes in the pool.
func putBuf(bp *[]byte) {
	if cap(*bp) <= 1<<20 {
		*bp = (*bp)[:0]
		bodyPool.Put(bp)
	}
}

// bufferBody reads resp.Body and replaces it with bb, which it fills. A
// 2xx body is read whole, at most maxResponseBody (beyond that, or on a
// read error, the attempt fails). An error answer keeps only its first
// maxErrorBody bytes: whatever its size or however it ends, the status
// decides the outcome, so it is never a transport failure. The original
// body is always closed.
func bufferBody(resp *http.Response, bb *bufferedBody) error {
	defer resp.Body.Close()
	success := resp.StatusCode >= 200 && resp.StatusCode <= 299
	limit := int64(maxErrorBody)
	if success {
		if resp.ContentLength > maxResponseBody {
			return ErrResponseTooLarge
		}
		limit = maxResponseBody
	}
	bp := bodyPool.Get().(*[]byte)
	buf := (*bp)[:0]
	if resp.ContentLength > 0 && int64(cap(buf)) <= resp.ContentLength && resp.ContentLength <= limit {
		// One spare byte, so reading the final EOF does not grow the buffer.
		buf = make([]byte, 0, resp.ContentLength+1)
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := resp.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			if !success {
				buf = buf[:limit] // an error body, cut short; the rest is never read
				break
			}
			*bp = buf
			putBuf(bp)
			return ErrResponseTooLarge
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			if !success {
				break // keep what arrived: the status already says what happened
			}
			*bp = buf
			putBuf(bp)
			return fmt.Errorf("reading response body: %w", err)
		}
	}
	*bp = buf
	bb.buf = bp
	bb.Reset(buf)
	resp.Body = bb
	return nil
}

// discardBody replaces a 2xx body that the call does not read (Delete)
// with an empty one: the status alone says what happened, so neither its
// size nor a broken stream can fail the call. A small body of a declared
// length ({"deleted":true}) is drained so that the connection can be
// reused; any other is closed unread.
func discardBody(resp *http.Response, bb *bufferedBody) {
	if resp.ContentLength >= 0 && resp.ContentLength <= 4<<10 {
		_, _ = io.CopyN(io.Discard, resp.Body, resp.ContentLength)
	}
	resp.Body.Close()
	bp := bodyPool.Get().(*[]byte)
	*bp = (*bp)[:0]
	bb.buf = bp
	bb.Reset(nil)
	resp.Body = bb
}

// logAttempt records one attempt: method, path (no query), status,
// attempt number, duration, request id. Never header values or bodies.
func logAttempt(ctx context.Context, l *slog.Logger, req *http.Request, attempt int, d time.Duration, resp *http.Response, err error, scrub *scrubber) {
	if !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("attempt", attempt),
		slog.Duration("duration", d),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if id := resp.Header.Get("X-Request-Id"); id != "" {
			attrs = append(attrs, slog.String("request_id", scrub.serverText(id, lineText, 100)))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", scrub.serverText(safeErrorText(err), lineText, 0)))
	}
	l.LogAttrs(ctx, slog.LevelDebug, "aistats: http attempt", attrs...)
}
