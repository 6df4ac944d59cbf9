package aistats

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// CallOption changes one call: its retry budget, its per-attempt timeout,
// extra request headers, or where to put its raw response. Call options
// travel on the context (see WithCallOptions), so KeysAPI and APIKeysAPI
// keep their signatures.
type CallOption func(*callOptions) error

// callOptions is what WithCallOptions stores on a context. A value is never
// changed once stored: a derived context gets a copy, so concurrent calls
// sharing a context (or its parent) read it without locks.
type callOptions struct {
	maxRetries    int
	maxRetriesSet bool
	timeout       time.Duration // 0: the client's (WithTimeout)
	headers       []callHeader  // canonical keys, each once; later options replace earlier values
	respInto      **http.Response
	// err is the first bad option; every call made with the context
	// returns it before sending anything.
	err error
}

type callHeader struct{ key, value string }

type callOptionsKey struct{}

// WithCallOptions returns a context whose calls use opts: every SDK call
// made with it (or a context derived from it) reads them once, when it
// starts. A call that sends more than one request (Update on API version
// 2026-03 reads the key back; each page of All and Pages is a List)
// applies them to each request.
//
// Options add to those already on ctx and override them: the later
// CallMaxRetries, CallAttemptTimeout and CallResponseInto win, headers
// accumulate, and a later CallHeader with the same name (in any case)
// replaces the earlier value.
//
// A bad option (a negative retry count, a nil destination, a header the
// SDK owns) cannot be reported here: every call made with the returned
// context returns a *ValidationError naming it, before any request.
func WithCallOptions(ctx context.Context, opts ...CallOption) context.Context {
	co := &callOptions{}
	if ctx == nil {
		ctx = context.Background()
		co.err = &ValidationError{Field: "WithCallOptions", Problem: "got a nil context (use context.Background())"}
	} else if prev := callOptionsFrom(ctx); prev != nil {
		*co = *prev
		co.headers = append([]callHeader(nil), prev.headers...) // never share the backing array
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(co); err != nil && co.err == nil {
			co.err = err
		}
	}
	return context.WithValue(ctx, callOptionsKey{}, co)
}

func callOptionsFrom(ctx context.Context) *callOptions {
	co, _ := ctx.Value(callOptionsKey{}).(*callOptions)
	return co
}

// CallMaxRetries sets how many times this call's failed attempts may be
// retried, fewer or more than the client's WithMaxRetries; 0 disables
// retries. The safety rules still hold: a Create or Rotate is never retried
// once its request may have reached the server, whatever the budget.
func CallMaxRetries(n int) CallOption {
	return func(o *callOptions) error {
		if n < 0 {
			return &ValidationError{Field: "CallMaxRetries", Problem: fmt.Sprintf("got %d; want 0 or more", n)}
		}
		o.maxRetries, o.maxRetriesSet = n, true
		return nil
	}
}

// CallAttemptTimeout bounds each attempt of this call (connect, send,
// headers and body) instead of the client's WithTimeout. It is per
// attempt: a call that retries can run for (retries+1) × d plus the
// backoff waits. The context's deadline bounds the whole call and always
// wins: an attempt never outlives it.
func CallAttemptTimeout(d time.Duration) CallOption {
	return func(o *callOptions) error {
		if d <= 0 {
			return &ValidationError{Field: "CallAttemptTimeout", Problem: fmt.Sprintf("got %s; want a positive duration", d)}
		}
		o.timeout = d
		return nil
	}
}

// CallHeader adds a request header to every attempt of this call, e.g. a
// tenant or correlation id for a proxy. The headers the SDK owns
// (Authorization, User-Agent, Content-Type, Accept, Content-Length, Host)
// are refused, and so are the connection headers net/http manages
// (Connection, Transfer-Encoding, Trailer, Upgrade, Te, Keep-Alive,
// Proxy-Connection), as are the headers that change what the answer's body
// is (Accept-Encoding, Content-Encoding, Range, If-Range, Expect and the
// conditional If-Match, If-None-Match, If-Modified-Since,
// If-Unmodified-Since: a Create's answer holds the only copy of its
// secret), names that are not HTTP tokens and values with a control
// character (CR, LF, NUL…). Header values are never logged or
// recorded by the SDK.
func CallHeader(key, value string) CallOption {
	return func(o *callOptions) error {
		if !validHeaderName(key) {
			return &ValidationError{Field: "CallHeader", Problem: fmt.Sprintf("name %q is not a valid HTTP header name", truncateRunes(key, 80))}
		}
		key = http.CanonicalHeaderKey(key)
		if reservedHeader(key) {
			return &ValidationError{Field: "CallHeader", Problem: fmt.Sprintf("name %q is set by the SDK or net/http and cannot be given per call", key)}
		}
		for i := 0; i < len(value); i++ {
			if b := value[i]; (b < ' ' && b != '\t') || b == 0x7f {
				// The value is not quoted: it may be a credential.
				return &ValidationError{Field: "CallHeader", Problem: fmt.Sprintf("value of %q has a control byte at position %d", key, i)}
			}
		}
		for i := range o.headers {
			if o.headers[i].key == key {
				o.headers[i].value = value
				return nil
			}
		}
		o.headers = append(o.headers, callHeader{key, value})
		return nil
	}
}

// CallResponseInto sets *dst, once the call is over, to the response of
// its last attempt: status, protocol and headers, with a body that reads
// empty (the SDK has read and closed the real one). It is set also when the
// call fails with an *APIError, and to nil when the last attempt got no
// response (a transport error, a timeout, a context done before sending).
// Its Request is a copy without the Authorization header. A call that
// validation refuses sends nothing and leaves *dst unchanged. Every call
// made with the context writes *dst: give concurrent calls their own.
func CallResponseInto(dst **http.Response) CallOption {
	return func(o *callOptions) error {
		if dst == nil {
			return &ValidationError{Field: "CallResponseInto", Problem: "got a nil destination"}
		}
		o.respInto = dst
		return nil
	}
}

// reservedHeader reports the headers the SDK sets itself, those that
// net/http drops or that would change the connection, and those that would
// change what the answer's body is: an Accept-Encoding turns off net/http's
// transparent gzip, and a range or conditional request can cut or empty a
// body, so a Create's answer (the only copy of its secret) would be
// unreadable. Keys are canonical.
func reservedHeader(key string) bool {
	switch key {
	case "Authorization", "User-Agent", "Content-Type", "Accept", "Content-Length", "Host",
		"Connection", "Transfer-Encoding", "Trailer", "Upgrade", "Te", "Keep-Alive", "Proxy-Connection",
		"Accept-Encoding", "Content-Encoding", "Range", "If-Range", "Expect",
		"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since":
		return true
	}
	return false
}

// validHeaderName is RFC 9110's token rule, which net/http applies too.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if tokenByte[s[i]] == 0 {
			return false
		}
	}
	return true
}

var tokenByte = func() (t [256]byte) {
	for _, b := range []byte("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
		t[b] = 1
	}
	return t
}()

// apply sets the call's budget, timeout, headers and destination from o.
func (cl *call) apply(o *callOptions, h http.Header) {
	if o.maxRetriesSet {
		cl.maxRetries = o.maxRetries
	}
	cl.timeout = o.timeout
	cl.respInto = o.respInto
	if len(o.headers) > 0 {
		vals := make([]string, len(o.headers)) // one backing array
		for i, kv := range o.headers {
			vals[i] = kv.value
			h[kv.key] = vals[i : i+1 : i+1]
		}
	}
}

// publicResponse is the copy of an attempt's response CallResponseInto
// hands out: nothing in it aliases the SDK's pooled body buffer, and its
// request carries no Authorization header. Its header and trailer values
// pass the client's scrubber, as an APIError's do: a server that echoes
// the key back in a header does not hand it to the caller's logs.
func publicResponse(resp *http.Response, scrub *scrubber) *http.Response {
	out := &http.Response{
		Status: scrub.serverText(resp.Status, lineText, 0), StatusCode: resp.StatusCode,
		Proto: resp.Proto, ProtoMajor: resp.ProtoMajor, ProtoMinor: resp.ProtoMinor,
		Header: scrub.cleanHeader(resp.Header.Clone()), Trailer: scrub.cleanHeader(resp.Trailer.Clone()),
		Body:          http.NoBody,
		ContentLength: resp.ContentLength, TransferEncoding: resp.TransferEncoding,
		Close: resp.Close, Uncompressed: resp.Uncompressed, TLS: resp.TLS,
	}
	if out.Header == nil {
		out.Header = http.Header{}
	}
	if r := resp.Request; r != nil {
		req := &http.Request{
			Method: r.Method, Proto: r.Proto, ProtoMajor: r.ProtoMajor, ProtoMinor: r.ProtoMinor,
			Header: r.Header.Clone(), ContentLength: r.ContentLength, Host: r.Host,
		}
		if r.URL != nil {
			u := *r.URL
			u.User = nil
			req.URL = &u
		}
		if req.Header == nil {
			req.Header = http.Header{}
		}
		for k := range req.Header {
			if http.CanonicalHeaderKey(k) == "Authorization" {
				delete(req.Header, k)
			}
		}
		out.Request = req
	}
	return out
}

// perCall is what a call's identity (CallInfo) and options add to its
// callState. Set by newCall; only lastResp changes later, on the
// goroutine running the call.
type perCall struct {
	operation, urlTemplate string
	maxRetries             int           // this call's retry budget
	timeout                time.Duration // per attempt; 0: the client's
	respInto               **http.Response
	lastResp               *http.Response // the last attempt's, for respInto
}
