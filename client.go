// Package aistats is a typed client for the AI Stats (Phaseo) Management API
// Keys API: list, create, inspect, update and delete management keys.
//
//	client, err := aistats.NewClient() // reads AI_STATS_API_KEY
//	for key, err := range client.Keys.All(ctx, nil) { ... }
//
// Every call takes a context, retries transient failures safely (never a
// Create whose outcome is unknown), and returns *APIError for any non-2xx
// answer, matchable with errors.Is against ErrNotFound and friends.
package aistats

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Version is the SDK version sent in the User-Agent.
const Version = "0.1.0"

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
	rc        *retryablehttp.Client
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
	c := &Client{baseURL: cfg.baseURL, apiKey: cfg.apiKey, userAgent: userAgent(cfg.userAgent), version: cfg.apiVersion}
	if u, err := url.Parse(cfg.baseURL); err == nil { // validated by resolve
		c.basePath = u.EscapedPath()
	}
	c.rc = newRetryClient(cfg)
	c.Keys = &KeysService{client: c}
	c.APIKeys = &APIKeysService{client: c}
	return c, nil
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

func userAgent(product string) string {
	ua := "aistats-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	if product != "" {
		ua = product + " " + ua
	}
	return ua
}

// newRetryClient configures go-retryablehttp field by field; its defaults
// log URLs to stderr, retry POST, ignore jitter, sleep for any Retry-After
// and drop the final error body (deps.md §1).
func newRetryClient(cfg *config) *retryablehttp.Client {
	// Without WithHTTPClient, attempts go through the transport all such
	// clients share (defaulttransport.go): nothing is built per client.
	at := &attemptTransport{user: cfg.httpClient, timeout: cfg.timeout, logger: cfg.logger}
	policy := &retryPolicy{maxWait: cfg.retryWaitMax, maxRetries: cfg.maxRetries, logger: cfg.logger, now: time.Now}
	return &retryablehttp.Client{
		HTTPClient: &http.Client{
			Transport: at,
			// The API never redirects; following one could carry the
			// Authorization header to another port. A 3xx becomes an *APIError.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		Logger:       nil,
		RetryWaitMin: cfg.retryWaitMin,
		RetryWaitMax: cfg.retryWaitMax,
		RetryMax:     cfg.maxRetries,
		CheckRetry:   policy.checkRetry,
		Backoff:      policy.backoff,
		ErrorHandler: errorHandler,
	}
}

// errNotInitialised is returned instead of a nil-pointer panic when a
// Client or KeysService was not made by NewClient.
var errNotInitialised = errors.New("aistats: client not initialised: create it with aistats.NewClient")

// request describes one API call.
type request struct {
	method, path, query string
	body                any
	// retryWritten: see callState.
	retryWritten bool
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
	u := c.baseURL + r.path
	if r.query != "" {
		u = c.baseURL + r.path + "?" + r.query
	}
	// The path that errors and logs show includes the base URL's own path
	// ("/v1"); it is a slice of u rather than another string.
	path := u[len(c.baseURL)-len(c.basePath) : len(c.baseURL)+len(r.path)]
	call := &callState{method: r.method, path: path, retryWritten: r.retryWritten}
	hreq, err := c.newRequest(context.WithValue(ctx, callKey{}, call), r, u)
	if err != nil {
		return err
	}
	resp, err := c.rc.Do(hreq)
	if err != nil {
		return c.callError(ctx, call, err)
	}
	body := resp.Body.(*bufferedBody)
	defer body.release()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := apiErrorFrom(resp)
		apiErr.Method, apiErr.Path, apiErr.Attempts = call.method, call.path, call.attempts
		return c.finalError(call, apiErr)
	}
	if decode == nil {
		return nil
	}
	if err := decode(body.data()); err != nil {
		call.outcomeUnknown = true // a 2xx we cannot read: for Create, a key whose secret is lost
		return c.finalError(call, newDecodeError(call, resp.StatusCode, body.data(), err))
	}
	return nil
}

// newRequest builds the request for r, sent to the URL u.
func (c *Client) newRequest(ctx context.Context, r request, u string) (*retryablehttp.Request, error) {
	var (
		req *retryablehttp.Request
		err error
	)
	if r.body != nil {
		var buf []byte
		if buf, err = json.Marshal(r.body); err != nil {
			return nil, fmt.Errorf("aistats: encoding request body: %w", err)
		}
		// Marshalled once; go-retryablehttp replays the bytes on each attempt.
		req, err = retryablehttp.NewRequestWithContext(ctx, r.method, u, buf)
	} else {
		var hr *http.Request
		if hr, err = http.NewRequestWithContext(ctx, r.method, u, nil); err == nil {
			req, err = retryablehttp.FromRequest(hr)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("aistats: building request: %w", err)
	}
	// One backing array for all values; the capacity-limited slices keep
	// an append to one header from overwriting the next.
	v := [...]string{c.authorization(), "application/json", c.userAgent, "application/json"}
	vals := v[:]
	h := req.Header
	h["Authorization"], h["Accept"], h["User-Agent"] = vals[0:1:1], vals[1:2:2], vals[2:3:3]
	if r.body != nil {
		h["Content-Type"] = vals[3:4:4]
	}
	return req, nil
}

// authorization builds the header value on demand so that the plaintext key
// is never stored unmasked in the client.
func (c *Client) authorization() string {
	return c.apiKey.revealAfter("Bearer ")
}

// callError turns a failure with no final response into the error the
// caller sees: cancellation (joined with the last API error), a transport
// error with its attempt count, and the unknown-outcome mark for Create.
func (c *Client) callError(ctx context.Context, call *callState, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		out := fmt.Errorf("aistats: %s %s: %w", call.method, call.path, ctxErr)
		if call.last != nil {
			call.last.Attempts = call.attempts
			out = errors.Join(out, call.last)
		}
		return c.finalError(call, out)
	}
	return c.finalError(call, &TransportError{Method: call.method, Path: call.path, Attempts: call.attempts, Err: stripURLError(err)})
}

// finalError applies the outcome rules that depend on the whole call.
func (c *Client) finalError(call *callState, err error) error {
	var apiErr *APIError
	if call.method == http.MethodDelete && call.outcomeUnknown && errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		// An earlier attempt may have deleted the key; a 404 now means it is gone.
		return nil
	}
	if !call.retryWritten && call.outcomeUnknown {
		return &UnknownOutcomeError{Err: err}
	}
	return err
}

// apiErrorFrom builds an *APIError from a buffered response. The body is
// copied: the buffer goes back to a pool.
func apiErrorFrom(resp *http.Response) *APIError {
	var body []byte
	if bb, ok := resp.Body.(*bufferedBody); ok {
		data := bb.data()
		if len(data) > maxErrorBody {
			data = data[:maxErrorBody]
		}
		body = bytes.Clone(data)
	}
	return newAPIError(resp.StatusCode, resp.Header, body)
}

// DecodeError is a 2xx answer whose body is not what the API documents
// (invalid JSON, wrong shape, an HTML page from a proxy). It keeps the
// status and the first bytes of the body.
type DecodeError struct {
	Method, Path string
	StatusCode   int
	// Snippet is the first 512 bytes of the body, with any credential in it
	// (a created key's plaintext) redacted.
	Snippet []byte
	Err     error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("aistats: %s %s: %d response could not be decoded: %v; body starts %q", e.Method, e.Path, e.StatusCode, e.Err, e.Snippet)
}

func (e *DecodeError) Unwrap() error { return e.Err }

func newDecodeError(call *callState, status int, body []byte, err error) error {
	n := min(len(body), 512)
	return &DecodeError{Method: call.method, Path: call.path, StatusCode: status, Snippet: []byte(redactKeys(string(body[:n]))), Err: err}
}
