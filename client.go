package aistats

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Version is the SDK version sent in the User-Agent. It equals the newest
// released section of CHANGELOG.md (TestVersionMatchesChangelog).
const Version = "0.2.0"

// MaxPageSize is the largest page the server returns; larger limits are clamped.
const MaxPageSize = 250

// Client talks to the Management API Keys API. It is safe for concurrent
// use; create one and share it. The zero value is not usable: call NewClient.
type Client struct {
	// Keys manages management keys: the credentials of this API.
	Keys *KeysService
	// APIKeys manages inference API keys (2026-07 only).
	APIKeys *APIKeysService

	baseURL   string
	basePath  string // the path part of baseURL ("/v1"), shown in errors and logs
	apiKey    Secret
	userAgent string
	version   APIVersion
	dialect   dialect
	scrub     *keyScrubber // masks credentials in server text; built on first error
	rc        *retryablehttp.Client
	// maxRetries is WithMaxRetries, each call's budget unless
	// CallMaxRetries says otherwise; templates are CallInfo.URLTemplate's.
	maxRetries int
	templates  urlTemplates

	// urlScheme and urlHost are baseURL's, parsed once for building request
	// URLs; urlHost is empty if baseURL needs the general path (url.Parse).
	urlScheme, urlHost string
}

// NewClient builds a client. Options are applied in order; API key and
// base URL not set by options come from AI_STATS_API_KEY and
// AI_STATS_BASE_URL. A missing or malformed key is an error here, not a 401
// later.
func NewClient(opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(cfg); err != nil {
			return nil, err
		}
	}
	if err := cfg.resolve(os.Getenv); err != nil {
		return nil, err
	}
	// The client and its scrubber in one allocation; the scrubber's own
	// work waits for the first error.
	p := &struct {
		c Client
		s keyScrubber
	}{s: keyScrubber{key: cfg.apiKey}}
	c := &p.c
	*c = Client{baseURL: cfg.baseURL, apiKey: cfg.apiKey, userAgent: userAgent(cfg.userAgent),
		version: cfg.apiVersion, dialect: dialectFor(cfg.apiVersion), scrub: &p.s}
	c.splitBaseURL()
	c.maxRetries, c.templates = cfg.maxRetries, newURLTemplates(c.basePath, c.dialect)
	c.rc = newRetryClient(cfg)
	c.Keys = &KeysService{client: c}
	c.APIKeys = &APIKeysService{client: c}
	return c, nil
}

// splitBaseURL sets basePath, and urlScheme and urlHost when request URLs
// can be built without url.Parse. baseURL is resolve's normalised form,
// scheme://host/path with no user, query or fragment; when host has no
// escape and path is plain, url.Parse would return exactly these parts, so
// it is not parsed a second time.
func (c *Client) splitBaseURL() {
	if scheme, rest, ok := strings.Cut(c.baseURL, "://"); ok {
		host, path := rest, ""
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			host, path = rest[:i], rest[i:]
		}
		if host != "" && strings.IndexByte(host, '%') < 0 && strings.IndexByte(host, '@') < 0 && plainPath(path) {
			c.basePath, c.urlScheme, c.urlHost = path, scheme, removeEmptyPort(host)
			return
		}
	}
	if u, err := url.Parse(c.baseURL); err == nil { // validated by resolve
		c.basePath = u.EscapedPath()
		if u.Opaque == "" && u.User == nil && u.RawQuery == "" && u.Fragment == "" && plainPath(c.basePath) {
			c.urlScheme, c.urlHost = u.Scheme, removeEmptyPort(u.Host)
		}
	}
}

// String never shows the API key.
func (c *Client) String() string {
	return fmt.Sprintf("aistats.Client{baseURL: %q, apiKey: %s}", c.baseURL, c.apiKey.Redacted())
}

// GoString never shows the API key.
func (c *Client) GoString() string { return c.String() }

// APIVersion is the API version the client speaks.
func (c *Client) APIVersion() APIVersion { return c.version }

// BaseURL is the API root the client sends to.
func (c *Client) BaseURL() string { return c.baseURL }

// sdkUserAgent is the SDK's own User-Agent token, built once.
var sdkUserAgent = "aistats-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"

func userAgent(product string) string {
	if product != "" {
		return product + " " + sdkUserAgent
	}
	return sdkUserAgent
}

// newRetryClient configures go-retryablehttp field by field; its defaults
// log URLs to stderr, retry POST, ignore jitter, sleep for any Retry-After
// and drop the final error body (deps.md §1).
func newRetryClient(cfg *config) *retryablehttp.Client {
	// Without WithHTTPClient, attempts go through the transport all such
	// clients share (defaulttransport.go): nothing is built per client.
	// The pieces are allocated together.
	p := &struct {
		at     attemptTransport
		policy retryPolicy
		hc     http.Client
		rc     retryablehttp.Client
	}{
		at:     attemptTransport{user: cfg.httpClient, timeout: cfg.timeout, logger: cfg.logger},
		policy: retryPolicy{maxWait: cfg.maxRetryAfter, logger: cfg.logger, now: time.Now},
	}
	p.hc = http.Client{
		Transport: &p.at,
		// The API never redirects; following one could carry the
		// Authorization header to another port. A 3xx becomes an *APIError.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	p.rc = retryablehttp.Client{
		HTTPClient:   &p.hc,
		Logger:       nil,
		RetryWaitMin: cfg.retryWaitMin,
		RetryWaitMax: cfg.retryWaitMax,
		// Each call's budget (WithMaxRetries or CallMaxRetries) is
		// enforced by CheckRetry; the library's must never stop it first.
		RetryMax:     math.MaxInt32,
		CheckRetry:   p.policy.checkRetry,
		Backoff:      p.policy.backoff,
		ErrorHandler: errorHandler,
	}
	return &p.rc
}

// errNotInitialised is returned instead of a nil-pointer panic when a
// Client or KeysService was not made by NewClient.
var errNotInitialised = errors.New("aistats: client not initialised: create it with aistats.NewClient")

// request describes one API call.
type request struct {
	// op is CallInfo.Operation ("Keys.Get"); route gives path's template.
	op                  string
	route               route
	method, path, query string
	body                any
	// mint names a call whose answer carries a one-time secret ("create",
	// "rotate"): never retried once sent, and its secret never lost. Every
	// other call sends absolute values or reads, so it may be retried even
	// after the request may have reached the server.
	mint string
	// goneOn404 (a Delete whose repeat answers 404 once it succeeded):
	// after an attempt that may have deleted the key, a 404 means it is gone.
	goneOn404 bool
	// missingHint replaces the version's explanation of a non-JSON 404.
	missingHint string
}

// do runs one call: encode once, send with retries, and hand the buffered
// 2xx body to decode. Non-2xx answers become *APIError.
func (c *Client) do(ctx context.Context, r request, decode func([]byte) error) error {
	if ctx == nil {
		return &ValidationError{Field: "ctx", Problem: "must not be nil (use context.Background())"}
	}
	if c == nil || c.rc == nil {
		return errNotInitialised
	}
	cl, err := c.newCall(ctx, r)
	if err != nil {
		return err
	}
	call := &cl.callState
	if dst := call.respInto; dst != nil {
		defer func() { *dst = call.lastResp }()
	}
	// A call that decodes nothing (Delete) succeeds on any 2xx, whatever
	// its body: the transport discards it rather than reading it whole.
	call.discard2xx = decode == nil
	resp, err := c.rc.Do(&cl.req)
	if err != nil {
		return c.callError(ctx, call, err)
	}
	body := resp.Body.(*bufferedBody)
	defer body.release()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := apiErrorFrom(resp, c.scrub.get())
		apiErr.Method, apiErr.Path, apiErr.Attempts = call.method, call.path, call.attempts
		if apiErr.endpointMissing {
			apiErr.hint = cmp.Or(r.missingHint, c.dialect.endpointHint())
		}
		return c.finalError(call, apiErr)
	}
	if decode == nil {
		return nil
	}
	if err := decode(body.data()); err != nil {
		var partial *partialError
		if errors.As(err, &partial) {
			// The key exists and its secret was read: the outcome is known.
			de := c.newDecodeError(call, resp.StatusCode, body.data(), partial.err)
			de.KeyCreated = true
			return de
		}
		call.outcomeUnknown = true // a 2xx we cannot read: for Create, a key whose secret is lost
		return c.finalError(call, c.newDecodeError(call, resp.StatusCode, body.data(), err))
	}
	return nil
}

// fetch runs a call whose 2xx answer decodes into one value. A mint call
// (Create, Rotate) may return the value and a *DecodeError together: the
// key exists and its secret was read.
func fetch[T any](ctx context.Context, c *Client, r request, decode func([]byte) (*T, error)) (*T, error) {
	var out *T
	err := c.do(ctx, r, func(b []byte) (err error) {
		out, err = decode(b)
		return err
	})
	if err != nil && !(r.mint != "" && isKeyCreated(err)) {
		return nil, err
	}
	return out, err
}

// call is one API call, allocated once: the state the retry policy reads,
// the context the request carries through go-retryablehttp (the caller's,
// plus that state), the first attempt's context and response body, and the
// request's URL, header values and go-retryablehttp wrapper. What
// http.NewRequestWithContext, retryablehttp.FromRequest, context.WithValue
// and per-attempt context.WithTimeout allocated separately lives here.
type call struct {
	callState
	ctx   callCtx
	first attemptCtx   // the first attempt's context; later attempts allocate their own
	body  bufferedBody // the first attempt's response body
	url   url.URL
	hdr   [4]string // header values, one backing array
	req   retryablehttp.Request
}

// newCall builds the call and its request for r.
func (c *Client) newCall(ctx context.Context, r request) (*call, error) {
	opts := callOptionsFrom(ctx)
	if opts != nil && opts.err != nil {
		return nil, opts.err
	}
	cl := &call{}
	cl.operation, cl.urlTemplate, cl.maxRetries = r.op, c.templates[r.route], c.maxRetries
	// The path that errors and logs show includes the base URL's own path
	// ("/v1"); the request's URL path is the same string.
	path := c.basePath + r.path
	cl.method, cl.path, cl.retryWritten, cl.op, cl.scrub = r.method, path, r.mint == "", r.mint, c.scrub
	cl.goneOn404 = r.goneOn404
	if r.method == http.MethodPost || r.method == http.MethodDelete {
		// Whether a failed attempt ever reached the server matters only
		// where a retry could act twice or a 404 could mean "gone"; the
		// trace stays off the path of reads.
		ctx = httptrace.WithClientTrace(ctx, cl.connTrace())
	}
	cl.ctx = callCtx{Context: ctx, call: cl}
	var u *url.URL
	if c.urlHost != "" && (r.path == "" || r.path[0] == '/') && plainPath(r.path) { // basePath was checked in NewClient
		// What url.Parse returns for this URL, without parsing it again:
		// the path has nothing to unescape, so Path is the wire form.
		cl.url = url.URL{Scheme: c.urlScheme, Host: c.urlHost, Path: path, RawQuery: r.query}
		u = &cl.url
	} else {
		raw := c.baseURL + r.path
		if r.query != "" {
			raw += "?" + r.query
		}
		var err error
		if u, err = url.Parse(raw); err != nil {
			return nil, fmt.Errorf("aistats: building request: %w", err)
		}
		u.Host = removeEmptyPort(u.Host)
	}
	// One backing array for all values; the capacity-limited slices keep
	// an append to one header from overwriting the next.
	cl.hdr = [...]string{c.authorization(), "application/json", c.userAgent, "application/json"}
	var h http.Header
	if opts == nil {
		h = make(http.Header, 4)
	} else {
		h = make(http.Header, 4+len(opts.headers))
		cl.apply(opts, h)
	}
	h["Authorization"], h["Accept"], h["User-Agent"] = cl.hdr[0:1:1], cl.hdr[1:2:2], cl.hdr[2:3:3]
	// The fields http.NewRequestWithContext sets for a request without a
	// body; WithContext is the one way to set the context (one allocation).
	tmpl := http.Request{Method: r.method, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h, Host: u.Host}
	// The request carries the first attempt's context (the call's context
	// until RoundTrip starts it), so that attempt needs no copy of it.
	cl.first.parent = &cl.ctx
	cl.req.Request = tmpl.WithContext(&cl.first)
	if r.body != nil {
		buf, err := json.Marshal(r.body)
		if err != nil {
			return nil, fmt.Errorf("aistats: encoding request body: %w", err)
		}
		// Marshalled once; go-retryablehttp replays the bytes on each
		// attempt (what retryablehttp.NewRequestWithContext does with them).
		var body any = buf
		if r.mint != "" {
			body = retryablehttp.ReaderFunc(cl.mintBody(buf))
		}
		if err := cl.req.SetBody(body); err != nil {
			return nil, fmt.Errorf("aistats: building request: %w", err)
		}
		if r.mint != "" {
			cl.req.GetBody = cl.mintGetBody(buf)
		}
		h["Content-Type"] = cl.hdr[3:4:4]
	}
	return cl, nil
}

// mintBody makes each attempt's body of a mint request: reading it marks
// the attempt, so that net/http cannot resend the request once any of it
// may have gone out (see mintGetBody).
func (cl *call) mintBody(buf []byte) func() (io.Reader, error) {
	return func() (io.Reader, error) {
		b := &trackedBody{read: &cl.bodyRead}
		b.Reset(buf)
		return b, nil
	}
}

// mintGetBody is the request's GetBody for a mint. net/http's HTTP/2
// transport calls GetBody to resend a request on a new connection after
// some stream errors (a PROTOCOL_ERROR reset, golang/go#47635) even when
// the server may already have read it, and the SDK would then see one
// attempt and two keys. Inside the transport, a body that was read is
// refused, so the attempt fails instead and the call reports an unknown
// outcome; a body never read may be resent. (http.Client also calls
// GetBody for a 307 or 308, outside the transport; the SDK then stops at
// CheckRedirect and returns the redirect as an *APIError.)
func (cl *call) mintGetBody(buf []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		if cl.bodyRead.Load() && cl.inTransport.Load() {
			return nil, errMintResend
		}
		b := &trackedBody{read: &cl.bodyRead}
		b.Reset(buf)
		return io.NopCloser(b), nil
	}
}

var errMintResend = errors.New("refusing to resend a request that mints a key: the server may already have it")

// trackedBody is a request body that records its first read.
type trackedBody struct {
	bytes.Reader
	read *atomic.Bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	b.read.Store(true)
	return b.Reader.Read(p)
}

// plainPath reports whether url.Parse would keep p, the escaped path, as
// it is: no escapes to undo and no byte it would escape again (so RawPath
// stays empty), no '?' or '#' to split at.
func plainPath(p string) bool {
	t := &pathByte
	ok := byte(1)
	for ; len(p) >= 4; p = p[4:] { // no early exit: paths are short and usually plain
		ok &= t[p[0]] & t[p[1]] & t[p[2]] & t[p[3]]
	}
	for i := 0; i < len(p); i++ {
		ok &= t[p[i]]
	}
	return ok != 0
}

// pathByte is 1 for the bytes url.URL.EscapedPath leaves unescaped (RFC
// 3986 unreserved characters and the sub-delimiters it allows in a path).
var pathByte = func() (t [256]byte) {
	for _, b := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~$&+,/:;=@") {
		t[b] = 1
	}
	return t
}()

// removeEmptyPort is net/http's: "host:" sends "host".
func removeEmptyPort(host string) string {
	if strings.LastIndex(host, ":") > strings.LastIndex(host, "]") {
		return strings.TrimSuffix(host, ":")
	}
	return host
}

// authorization builds the header value on demand so that the plaintext key
// is never stored unmasked in the client.
func (c *Client) authorization() string {
	return c.apiKey.revealAfter("Bearer ")
}

// callError turns a failure with no final response into the error the
// caller sees: cancellation (with the last API error), a transport error
// with its attempt count, and the unknown-outcome mark for mint calls.
func (c *Client) callError(ctx context.Context, call *callState, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		out := fmt.Errorf("aistats: %s %s: %w", call.method, call.path, ctxErr)
		if call.last != nil {
			call.last.Attempts = call.attempts
			out = &canceledError{err: out, last: call.last}
		}
		return c.finalError(call, out)
	}
	scrub := c.scrub.get()
	return c.finalError(call, &TransportError{Method: call.method, Path: call.path, Attempts: call.attempts, Err: scrub.cleanErr(stripURLError(err)), scrub: scrub})
}

// finalError applies the outcome rules that depend on the whole call.
func (c *Client) finalError(call *callState, err error) error {
	var apiErr *APIError
	if call.goneOn404 && call.outcomeUnknown && errors.As(err, &apiErr) &&
		apiErr.StatusCode == http.StatusNotFound && !apiErr.endpointMissing {
		// An earlier attempt may have deleted the key; the API's own 404
		// now means it is gone. (A 404 from a route that does not exist
		// says nothing about the key.)
		return nil
	}
	if !call.retryWritten && call.outcomeUnknown {
		return &UnknownOutcomeError{Err: err, op: call.op}
	}
	return err
}

// apiErrorFrom builds an *APIError from a buffered response. The body is
// copied: the buffer goes back to a pool.
func apiErrorFrom(resp *http.Response, scrub *scrubber) *APIError {
	var body []byte
	if bb, ok := resp.Body.(*bufferedBody); ok {
		data := bb.data()
		if len(data) > maxErrorBody {
			data = data[:maxErrorBody]
		}
		body = bytes.Clone(data)
	}
	return newAPIError(resp.StatusCode, resp.Header, body, scrub)
}

// DecodeError is a 2xx answer whose body is not what the API documents
// (invalid JSON, wrong shape, an HTML page from a proxy). It keeps the
// status and the first bytes of the body, with credentials masked.
type DecodeError struct {
	Method, Path string
	StatusCode   int
	// Snippet is the first 512 bytes of the body with any credential
	// masked. For answers that carry a new key's plaintext (Create,
	// Rotate) it keeps only the JSON structure and the values of known
	// public fields, so no secret can leak through it in any form.
	Snippet []byte
	// KeyCreated is true when the call created a key and its secret was
	// delivered with the result: Create and Rotate then return the key
	// (ID and Secret set) together with this error. Keep the secret; Err
	// says which part of the answer could not be read.
	KeyCreated bool
	Err        error

	scrub *scrubber // the client's (and a mint's new secret): Error() cleans again
}

func (e *DecodeError) Error() string {
	what := "response could not be decoded"
	if e.KeyCreated {
		what = "key created and its secret returned, but part of the response could not be decoded"
	}
	return fmt.Sprintf("aistats: %s %s: %d %s: %s; body starts %q", e.Method, e.Path, e.StatusCode, what,
		e.scrub.serverText(e.Err.Error(), lineText, maxErrText), e.scrub.serverText(string(e.Snippet), keptText, 0))
}

func (e *DecodeError) Unwrap() error { return e.Err }

// isKeyCreated reports a partial decode whose secret was delivered.
func isKeyCreated(err error) bool {
	var de *DecodeError
	return errors.As(err, &de) && de.KeyCreated
}

func (c *Client) newDecodeError(call *callState, status int, body []byte, err error) *DecodeError {
	scrub := c.scrub.get()
	var snippet string
	if call.op != "" {
		// The new plaintext is masked like the client's key, wherever it
		// stands: the decoder's own message may quote the field holding it.
		plaintext, _ := salvageMint(body)
		scrub = scrub.with(NewSecret(plaintext))
		snippet = string(publicShape(body, 512, scrub))
	} else {
		snippet = scrub.serverText(string(body[:min(len(body), 4<<10)]), keptText, 512)
	}
	return &DecodeError{Method: call.method, Path: call.path, StatusCode: status, Snippet: []byte(snippet), Err: scrub.cleanErr(err), scrub: scrub}
}
