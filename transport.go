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
	call := callFrom(req.Context())
	attempt := 0
	if call != nil {
		call.attempts++
		attempt = call.attempts
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	defer cancel()
	var resp *http.Response
	var err error
	if rt := t.roundTripper(); rt != nil {
		resp, err = rt.RoundTrip(req.WithContext(ctx))
	} else {
		err = errNoTransport
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
		err = bufferBody(resp)
	}
	if err != nil {
		resp = nil
		if ctx.Err() == context.DeadlineExceeded && req.Context().Err() == nil {
			err = &AttemptTimeoutError{After: t.timeout}
		}
		if call != nil && req.Context().Err() != nil && !requestNotSent(err) {
			// Cancelled mid-flight: the server may have acted on it.
			call.outcomeUnknown = true
		}
	}
	if t.logger != nil {
		logAttempt(req.Context(), t.logger, req, attempt, time.Since(start), resp, err)
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

// bufferBody reads resp.Body fully (at most maxResponseBody) and replaces
// it with a bufferedBody. On error the original body is closed.
func bufferBody(resp *http.Response) error {
	defer resp.Body.Close()
	if resp.ContentLength > maxResponseBody {
		return ErrResponseTooLarge
	}
	bp := bodyPool.Get().(*[]byte)
	buf := (*bp)[:0]
	if resp.ContentLength > 0 && int64(cap(buf)) <= resp.ContentLength {
		// One spare byte, so reading the final EOF does not grow the buffer.
		buf = make([]byte, 0, resp.ContentLength+1)
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := resp.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) > maxResponseBody {
			*bp = buf
			putBuf(bp)
			return ErrResponseTooLarge
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			*bp = buf
			putBuf(bp)
			return fmt.Errorf("reading response body: %w", err)
		}
	}
	*bp = buf
	bb := &bufferedBody{buf: bp}
	bb.Reset(buf)
	resp.Body = bb
	return nil
}

// logAttempt records one attempt: method, path (no query), status,
// attempt number, duration, request id. Never header values or bodies.
func logAttempt(ctx context.Context, l *slog.Logger, req *http.Request, attempt int, d time.Duration, resp *http.Response, err error) {
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
			attrs = append(attrs, slog.String("request_id", id))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", safeErrorText(err)))
	}
	l.LogAttrs(ctx, slog.LevelDebug, "aistats: http attempt", attrs...)
}
