package aistats

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testAPIKey follows the real key grammar (aistats_v1_sk_<kid>_<secret>), so
// Secret's redaction takes its "keep the prefix" branch.
const testAPIKey = "aistats_v1_sk_Q7xk2Pa9LmZt_Zq8XwV7uT6sR5pO4nM3lK2jI1hG0fE9dC8bA7y"

// Paths as the server sees them behind a "/v1" base URL.
const (
	testKeyID    = "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40"
	testKeysPath = "/v1/management/keys"
	testKeyPath  = testKeysPath + "/" + testKeyID
)

// reply is one scripted answer of a testServer.
type reply struct {
	Status int
	Header http.Header
	Body   string
	// Delay holds the answer back; it is cut short when the client gives up.
	Delay time.Duration
}

// jsonReply is the common case: a JSON body with its Content-Type.
func jsonReply(status int, body string) reply {
	return reply{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
}

// seenRequest is what a testServer recorded about one request.
type seenRequest struct {
	Method string
	// Path is the path exactly as it was on the wire, still escaped
	// ("/v1/management/keys/a%20b").
	Path     string
	RawQuery string
	Query    url.Values
	Header   http.Header
	Body     []byte
}

// testServer records every request and answers from a script: the n-th
// request gets the n-th reply and the last reply repeats, so a one-reply
// script means "always answer this".
type testServer struct {
	*httptest.Server

	mu     sync.Mutex
	script []reply
	seen   []seenRequest
}

func newTestServer(t *testing.T, script ...reply) *testServer {
	t.Helper()
	if len(script) == 0 {
		script = []reply{jsonReply(http.StatusTeapot, `{"error":"unscripted request"}`)}
	}
	s := &testServer{script: script}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// serve runs on the server's goroutines: it must not call t.FailNow.
func (s *testServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path, rawQuery, _ := strings.Cut(r.RequestURI, "?")
	s.mu.Lock()
	s.seen = append(s.seen, seenRequest{
		Method: r.Method, Path: path, RawQuery: rawQuery, Query: r.URL.Query(),
		Header: r.Header.Clone(), Body: body,
	})
	rep := s.script[min(len(s.seen), len(s.script))-1]
	s.mu.Unlock()

	if rep.Delay > 0 {
		select {
		case <-time.After(rep.Delay):
		case <-r.Context().Done():
			return
		}
	}
	for k, v := range rep.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(rep.Status)
	_, _ = io.WriteString(w, rep.Body)
}

// BaseURL is the server's URL with the API's "/v1" root.
func (s *testServer) BaseURL() string { return s.URL + "/v1" }

// requests returns a copy of what was recorded so far.
func (s *testServer) requests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.seen)
}

func (s *testServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

// only returns the single recorded request, failing the test otherwise.
func (s *testServer) only(t *testing.T) seenRequest {
	t.Helper()
	reqs := s.requests()
	require.Len(t, reqs, 1, "want exactly one request")
	return reqs[0]
}

// methods lists the recorded methods in order.
func (s *testServer) methods() []string {
	var out []string
	for _, r := range s.requests() {
		out = append(out, r.Method)
	}
	return out
}

// newTestClient builds a client for baseURL with testAPIKey and retry waits
// of a millisecond or two; opts are applied after those and may override them.
func newTestClient(t *testing.T, baseURL string, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{
		WithAPIKey(testAPIKey),
		WithBaseURL(baseURL),
		WithRetryWait(time.Millisecond, 2*time.Millisecond),
	}, opts...)
	c, err := NewClient(all...)
	require.NoError(t, err)
	return c
}

// errOnly drops a call's result, for tables of calls that only care about
// the error.
func errOnly[T any](_ T, err error) error { return err }

// requireValidationError asserts err is a *ValidationError for field that
// also matches ErrInvalidRequest.
func requireValidationError(t *testing.T, err error, field string) {
	t.Helper()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, field, ve.Field, "ValidationError.Field (error: %v)", err)
	require.ErrorIs(t, err, ErrInvalidRequest)
}
