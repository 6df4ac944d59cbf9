package aistats

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/ai-stats/aistats-go/internal/retryafter"
	"github.com/hashicorp/go-retryablehttp"
)

// callState carries one SDK call through go-retryablehttp, whose CheckRetry
// never sees the request (deps.md appendix 1): it travels in the request
// context. All fields are touched only by the goroutine running the call.
type callState struct {
	perCall
	method, path string
	// retryWritten allows retrying after the request may have reached the
	// server (timeouts, resets, 5xx). False for Create: the API has no
	// idempotency keys, so a blind retry could mint a second live key.
	retryWritten bool
	attempts     int
	// outcomeUnknown is set once an attempt failed after the request may
	// have been applied.
	outcomeUnknown bool
	// last is the most recent error response, kept so that a cancellation
	// during a backoff wait can still report what the server said.
	last *APIError
	// op is request.mint: "create", "rotate" or "".
	op    string
	scrub *keyScrubber
	// goneOn404 is request.goneOn404.
	goneOn404 bool
	// discard2xx: the call decodes nothing, so a 2xx body is discarded
	// unread (see discardBody).
	discard2xx bool
	// Set by the connection trace (POST and DELETE only) during the
	// current attempt: the transport asked for a connection, and got one.
	// No connection means no byte of the request was written.
	askedConn, gotConn atomic.Bool
	// bodyRead: the current attempt's body was read (mint requests only);
	// inTransport: the attempt is inside the RoundTripper.
	bodyRead, inTransport atomic.Bool
}

// connTrace reports, per attempt, whether a connection was ever obtained.
func (c *callState) connTrace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn: func(string) { c.askedConn.Store(true) },
		GotConn: func(httptrace.GotConnInfo) { c.gotConn.Store(true) },
	}
}

// newAttempt clears what the trace learnt about the previous attempt.
func (c *callState) newAttempt() {
	c.askedConn.Store(false)
	c.gotConn.Store(false)
	c.bodyRead.Store(false)
}

// neverSent reports that a failed attempt wrote no byte of the request:
// the transport asked for a connection and never got one (refused, DNS,
// or the per-attempt timeout while dialling). Transports that do not
// report connections (a caller's custom RoundTripper) fall back to the
// error: only dial and DNS errors prove nothing was sent.
func (c *callState) neverSent(err error) bool {
	if c.askedConn.Load() {
		return !c.gotConn.Load()
	}
	return requestNotSent(err)
}

type callKey struct{}

func callFrom(ctx context.Context) *callState {
	c, _ := ctx.Value(callKey{}).(*callState)
	return c
}

// retryPolicy is the client's retry decision, installed as CheckRetry.
// The table it implements is in the README ("Retries").
type retryPolicy struct {
	maxWait time.Duration // the longest Retry-After hint waited for
	logger  *slog.Logger
	now     func() time.Time
}

func (p *retryPolicy) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		if err == nil && resp != nil && resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			// Read in full before the cancel was seen: the server acted
			// (for Create, this holds the only copy of the secret). Deliver it.
			return false, nil
		}
		return false, ctx.Err()
	}
	call := callFrom(ctx)
	if call == nil {
		// Not a request Client.do built (it always is): without a call
		// there is no budget to count against, so no retry.
		return false, nil
	}
	// The budget is the call's (CallMaxRetries, else WithMaxRetries): the
	// library's own RetryMax is set out of reach.
	retry := p.decide(ctx, call, resp, err) && call.attempts <= call.maxRetries
	if retry && p.logger != nil {
		attrs := []slog.Attr{slog.String("method", call.method), slog.String("path", call.path), slog.Int("attempt", call.attempts)}
		if resp != nil {
			attrs = append(attrs, slog.Int("status", resp.StatusCode))
		} else {
			attrs = append(attrs, slog.String("error", call.scrub.get().serverText(safeErrorText(err), lineText, 0)))
		}
		p.logger.LogAttrs(ctx, slog.LevelWarn, "aistats: retrying", attrs...)
	}
	return retry, nil
}

func (p *retryPolicy) decide(ctx context.Context, call *callState, resp *http.Response, err error) bool {
	if err != nil {
		if errors.Is(err, ErrResponseTooLarge) {
			call.outcomeUnknown = true // the server answered: it acted
			return false
		}
		// The library's list of errors no retry can fix: bad scheme, invalid
		// header, untrusted certificate, redirect loops.
		if ok, _ := retryablehttp.DefaultRetryPolicy(ctx, nil, err); !ok {
			return false
		}
		if call.neverSent(err) {
			return true
		}
		call.outcomeUnknown = true
		return call.retryWritten
	}
	retry := p.decideStatus(call, resp)
	if retry {
		// Keep what the server said: if the caller cancels during the
		// wait, the library returns a bare ctx.Err() and drops the response.
		call.last = apiErrorFrom(resp, call.scrub.get())
		call.last.Method, call.last.Path = call.method, call.path
	}
	return retry
}

func (p *retryPolicy) decideStatus(call *callState, resp *http.Response) bool {
	status := resp.StatusCode
	if bb, ok := resp.Body.(*bufferedBody); ok && isDBError401(status, bb.data()) {
		return true // the server failed before any work: nothing was applied
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		if ra, ok := retryafter.Parse(resp.Header.Get("Retry-After"), p.now()); ok && ra > p.maxWait {
			// Sleeping past the configured max would surprise the caller;
			// hand back the error with the hint instead.
			if status >= 500 {
				call.outcomeUnknown = true
			}
			return false
		}
		if status == http.StatusTooManyRequests {
			return true // nothing was applied
		}
	}
	if retryableStatus(status) {
		call.outcomeUnknown = true
		return call.retryWritten
	}
	return false
}

// retryableStatus: transient server and gateway failures, including a CDN's
// 520-524. 501 Not Implemented will not change on retry.
func retryableStatus(code int) bool {
	switch code {
	case 500, 502, 503, 504, 520, 521, 522, 523, 524:
		return true
	}
	return false
}

// requestNotSent reports failures that happen before a byte of the request
// left: DNS and dial errors. Any other failure may have reached the server.
func requestNotSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// backoff honours a Retry-After hint that fits under the policy's limit
// (checkRetry has already refused longer ones) and otherwise waits min·2ⁿ
// capped at max, minus up to 25% jitter so that many clients do not retry
// in step.
func (p *retryPolicy) backoff(min, max time.Duration, n int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if ra, ok := retryafter.Parse(resp.Header.Get("Retry-After"), p.now()); ok && ra <= p.maxWait {
			return ra
		}
	}
	return jitteredBackoff(min, max, n)
}

func jitteredBackoff(min, max time.Duration, n int) time.Duration {
	d := min
	for i := 0; i < n && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	if d <= 0 {
		return 0
	}
	return d - time.Duration(rand.Int64N(int64(d)/4+1))
}

// errorHandler runs when the library stops with a failure. A final
// response is passed through (already buffered by attemptTransport) so the
// caller gets the API's own error rather than "giving up after N attempts".
func errorHandler(resp *http.Response, err error, _ int) (*http.Response, error) {
	if resp != nil && err == nil {
		return resp, nil
	}
	if resp != nil {
		resp.Body.Close()
	}
	return nil, err
}

// safeErrorText drops the *url.Error wrapper, whose text repeats the full
// URL; what is left names the failure only.
func safeErrorText(err error) string { return stripURLError(err).Error() }

func stripURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
