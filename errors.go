package aistats

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ai-stats/aistats-go/internal/retryafter"
)

// Sentinel errors. An *APIError matches the one for its status with
// errors.Is, so callers can write errors.Is(err, aistats.ErrNotFound).
var (
	ErrInvalidRequest = errors.New("aistats: invalid request") // 400, 422
	ErrUnauthorized   = errors.New("aistats: unauthorized")    // 401
	ErrForbidden      = errors.New("aistats: forbidden")       // 403
	ErrNotFound       = errors.New("aistats: not found")       // 404
	ErrConflict       = errors.New("aistats: conflict")        // 409
	ErrRateLimited    = errors.New("aistats: rate limited")    // 429
	ErrServer         = errors.New("aistats: server error")    // 5xx
	// ErrUnknownOutcome marks a call that mints a key (Create, Rotate) and
	// failed after the request may have reached the server (timeout, reset,
	// EOF or a 5xx). The API has no idempotency keys, so the SDK does not
	// retry it: list keys (for Rotate, with IncludeDisabled) to see whether
	// a key was created before trying again.
	ErrUnknownOutcome = errors.New("aistats: outcome unknown, the request may have been applied")
	// ErrEndpointNotFound is a 404 whose body is not JSON: the server (or a
	// CDN in front of it) has no such route, typically a wrong base URL or
	// API version. It deliberately does not match ErrNotFound, so code that
	// treats ErrNotFound as "already gone" never mistakes a wrong endpoint
	// for a missing key.
	ErrEndpointNotFound = errors.New("aistats: endpoint not found")
)

// maxErrorBody caps how much of an error response is kept in APIError.Body.
const maxErrorBody = 64 << 10

// maxErrText caps, in runes, the server text (a message, a decoder's or
// the network's error) one Error() shows: an error is one log line.
const maxErrText = 300

// APIError is a non-2xx answer from the API. Nothing the server said is
// dropped: the status, the decoded code and message, the request id, the
// response headers and the (capped) raw body.
type APIError struct {
	StatusCode int
	// Code is the machine-readable code when the body has one
	// ("validation_error", "unauthorised", "not_found"); it may be empty.
	// Code, Message and RequestID are each one printable line with
	// credentials masked; Body keeps the text as sent.
	Code string
	// Message is the human-readable text.
	Message string
	// RequestID comes from the body ("request_id") or the X-Request-Id or
	// CF-Ray header.
	RequestID string
	// Body is the raw response body, capped at 64 KiB, with credentials
	// (the client's own key, whole or cut short, in any escaping, and any
	// AI Stats or Phaseo key) masked. Header values are masked the same way.
	Body   []byte
	Header http.Header
	// Attempts is how many HTTP attempts the call made, retries included.
	Attempts int
	// RetryAfter is the server's Retry-After hint (429 and 503), zero when absent.
	RetryAfter time.Duration
	// Method and Path identify the call (the path has no query string).
	Method, Path string

	endpointMissing bool      // a 404 without a JSON body: see ErrEndpointNotFound
	serverFault     bool      // a 401 db_error: also ErrServer (see isDBError401)
	hint            string    // the SDK's explanation, shown by Error
	scrub           *scrubber // the client's: Error() cleans the fields again
}

// Error reads as one log line, e.g.
// `aistats: GET /v1/management-keys/abc: 404 Not Found: not_found: Management key not found`.
// It never contains credentials (request headers are not kept, server text
// is masked) and never more than one printable line.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("aistats: ")
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteString(" " + text)
	}
	// One bounded line: a server message can be a multi-line database error.
	code, msg := e.scrub.serverText(e.Code, lineText, 100), e.scrub.serverText(e.Message, lineText, maxErrText)
	switch {
	case code != "" && msg != "" && code != msg:
		fmt.Fprintf(&b, ": %s: %s", code, msg)
	case msg != "":
		fmt.Fprintf(&b, ": %s", msg)
	case code != "":
		fmt.Fprintf(&b, ": %s", code)
	}
	if e.hint != "" {
		b.WriteString(" (" + e.hint + ")")
	}
	var extra []string
	if e.RequestID != "" {
		// Header or body, the id is server text of any length.
		extra = append(extra, "request_id="+e.scrub.serverText(e.RequestID, lineText, 100))
	}
	if e.Attempts > 1 {
		extra = append(extra, fmt.Sprintf("attempts=%d", e.Attempts))
	}
	if e.RetryAfter > 0 {
		extra = append(extra, "retry_after="+e.RetryAfter.String())
	}
	if len(extra) > 0 {
		b.WriteString(" (" + strings.Join(extra, ", ") + ")")
	}
	return b.String()
}

// Is maps the status code to the package's sentinel errors; a 404 without
// a JSON body is ErrEndpointNotFound, not ErrNotFound, and a 401 whose
// reason is db_error (the server failing before any work) matches both
// ErrUnauthorized and ErrServer.
func (e *APIError) Is(target error) bool {
	if target == nil {
		return false
	}
	if e.endpointMissing {
		return target == ErrEndpointNotFound
	}
	if e.serverFault && target == ErrServer {
		return true
	}
	return statusSentinel(e.StatusCode) == target
}

func statusSentinel(code int) error {
	switch {
	case code == http.StatusBadRequest || code == http.StatusUnprocessableEntity:
		return ErrInvalidRequest
	case code == http.StatusUnauthorized:
		return ErrUnauthorized
	case code == http.StatusForbidden:
		return ErrForbidden
	case code == http.StatusNotFound:
		return ErrNotFound
	case code == http.StatusConflict:
		return ErrConflict
	case code == http.StatusTooManyRequests:
		return ErrRateLimited
	case code >= 500 && code <= 599:
		return ErrServer
	}
	return nil
}

// errorEnvelope is the union of the server's error bodies:
// {ok:false, error, message}, {error, message}, {error, reason, request_id}
// and a nested {error:{code, message, request_id}} seen behind proxies.
type errorEnvelope struct {
	Error     json.RawMessage `json:"error"`
	Message   string          `json:"message"`
	Reason    string          `json:"reason"`
	RequestID string          `json:"request_id"`
}

type nestedError struct {
	Code      string `json:"code"`
	Type      string `json:"type"`
	Message   string `json:"message"`
	RequestID string `json:"request_id"`
}

// newAPIError builds an APIError from a response whose body was already
// read (and capped). It accepts any body: JSON of either envelope,
// text/plain, HTML or nothing. scrub masks the client's key in everything
// kept from the server.
func newAPIError(status int, header http.Header, body []byte, scrub *scrubber) *APIError {
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
	}
	e := &APIError{StatusCode: status, Header: scrub.cleanHeader(header), scrub: scrub}
	// Fields are decoded from the body as sent, then cleaned one by one: a
	// JSON escape can spell a credential that only decoding reveals.
	decodeErrorBody(e, body)
	if e.RequestID == "" && header != nil {
		e.RequestID = firstNonEmpty(header.Get("X-Request-Id"), header.Get("Cf-Ray"))
	}
	e.Code, e.Message = scrub.serverText(e.Code, lineText, 0), scrub.serverText(e.Message, lineText, 0)
	e.RequestID = scrub.serverText(e.RequestID, lineText, 0)
	e.Body = []byte(scrub.serverText(string(body), keptText, maxErrorBody))
	if e.Message == "" && e.Code == "" {
		e.Message = http.StatusText(status)
	}
	e.endpointMissing = status == http.StatusNotFound && !looksLikeJSON(body)
	if e.serverFault = isDBError401(status, body); e.serverFault {
		e.hint = "the server failed to check the credential: a server fault, not a bad key"
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		e.RetryAfter, _ = retryafter.Parse(header.Get("Retry-After"), time.Now())
	}
	return e
}

// looksLikeJSON: the API's own 404s are JSON objects; a route it does not
// have answers Hono's text/plain, and a CDN an HTML page. Only the first
// byte is read: a long JSON body is cut at maxErrorBody, so it may not be
// valid JSON in full.
func looksLikeJSON(body []byte) bool {
	b := bytes.TrimSpace(body)
	return len(b) > 0 && b[0] == '{'
}

func decodeErrorBody(e *APIError, body []byte) {
	trimmed := strings.TrimSpace(string(body))
	if trimmed == "" {
		return
	}
	var env errorEnvelope
	if trimmed[0] == '{' && json.Unmarshal([]byte(trimmed), &env) == nil {
		e.RequestID = env.RequestID
		var code string
		if len(env.Error) > 0 && env.Error[0] == '"' {
			_ = json.Unmarshal(env.Error, &code)
		} else if len(env.Error) > 0 && env.Error[0] == '{' {
			var n nestedError
			if json.Unmarshal(env.Error, &n) == nil {
				code, env.Message = firstNonEmpty(n.Code, n.Type), firstNonEmpty(env.Message, n.Message)
				e.RequestID = firstNonEmpty(e.RequestID, n.RequestID)
			}
		}
		msg := firstNonEmpty(env.Message, env.Reason)
		switch {
		case msg == "" && isHumanText(code):
			// Gen A puts human text in "error" ("Key not found") with no message.
			e.Message = code
		default:
			e.Code, e.Message = code, msg
		}
		return
	}
	e.Message = plainTextMessage(trimmed)
}

// isHumanText tells "Key not found" (a message) from "validation_error" (a code).
func isHumanText(s string) bool { return strings.ContainsAny(s, " ") }

// plainTextMessage turns a text/plain or HTML body into a short one-line
// message: the HTML <title> when there is one, else the first line.
func plainTextMessage(s string) string {
	// ASCII-only lowering keeps byte offsets valid in s (strings.ToLower
	// can change the length of non-ASCII text).
	lower := asciiLower(s)
	if i := strings.Index(lower, "<title>"); i >= 0 {
		rest := s[i+len("<title>"):]
		if j := strings.Index(lower[i+len("<title>"):], "</title>"); j >= 0 {
			return truncateRunes(strings.Join(strings.Fields(rest[:j]), " "), 200)
		}
	}
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return truncateRunes(strings.TrimSpace(s), 200)
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
	return string(b)
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// ValidationError reports bad input found before any request was sent.
// It matches ErrInvalidRequest with errors.Is.
type ValidationError struct {
	Field   string // the Go field or argument at fault, e.g. "Name", "id"
	Problem string
}

func (e *ValidationError) Error() string { return "aistats: " + e.Field + " " + e.Problem }

// Is lets errors.Is(err, ErrInvalidRequest) cover local validation too.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidRequest }

// UnknownOutcomeError wraps a failure of a call that mints a key (Create,
// Rotate) after which the key may or may not exist. It matches both
// ErrUnknownOutcome and the underlying error (ErrServer, an *APIError, a
// net error …).
type UnknownOutcomeError struct {
	Err error
	op  string // "create" or "rotate"
}

func (e *UnknownOutcomeError) Error() string {
	switch e.op {
	case "rotate":
		return "aistats: rotate outcome unknown, a new key may have been created: list keys with IncludeDisabled before trying again: " + e.Err.Error()
	case "create":
		return "aistats: create outcome unknown, a key may have been created: list keys before trying again: " + e.Err.Error()
	}
	return "aistats: outcome unknown, the request may have been applied: " + e.Err.Error()
}

// Unwrap exposes both identities to errors.Is and errors.As.
func (e *UnknownOutcomeError) Unwrap() []error { return []error{ErrUnknownOutcome, e.Err} }

// canceledError is a call ended by its context, carrying the last answer
// the server gave before the cancel. It is one line of text (unlike
// errors.Join) and matches both the context error and the *APIError.
type canceledError struct {
	err  error
	last *APIError
}

func (e *canceledError) Error() string {
	return e.err.Error() + "; last answer before that: " + e.last.Error()
}

func (e *canceledError) Unwrap() []error { return []error{e.err, e.last} }

// TransportError is a failure below HTTP (refused, reset, timeout, EOF,
// truncated body). It carries the attempt count; its text names the method
// and path only, never headers or query values.
type TransportError struct {
	Method, Path string
	Attempts     int
	Err          error

	scrub *scrubber // the client's: Error() cleans Err's text again
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("aistats: %s %s: %s (attempts=%d)", e.Method, e.Path, e.scrub.serverText(e.Err.Error(), lineText, maxErrText), e.Attempts)
}

func (e *TransportError) Unwrap() error { return e.Err }
