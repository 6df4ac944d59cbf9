package aistatstest

import (
	"net/http"
	"net/url"
	"slices"
)

// Request is one request the server received, recorded before any fault or
// handler ran.
type Request struct {
	N      int    // 1-based arrival number since NewServer or the last Reset
	Method string // as sent
	Path   string // full escaped path, e.g. "/v1/management/keys"
	Query  url.Values
	// Header is a copy of the request headers with every Authorization value
	// replaced by "[REDACTED]", so recorded requests are safe to print.
	Header http.Header
	// Body is the body decoded as a JSON object (numbers are json.Number),
	// nil when the body is empty, not JSON, or not an object.
	Body    map[string]any
	RawBody []byte
	// Fault is the name of the fault applied to this request ("respond 503",
	// "drop-before-apply", …), "" if none.
	Fault string
}

// Redacted is the value that replaces Authorization headers in Request.Header.
const Redacted = "[REDACTED]"

func newRequest(n int, r *http.Request, raw []byte) Request {
	h := r.Header.Clone()
	if vs, ok := h["Authorization"]; ok {
		for i := range vs {
			vs[i] = Redacted
		}
	}
	req := Request{
		N:       n,
		Method:  r.Method,
		Path:    r.URL.EscapedPath(),
		Query:   r.URL.Query(),
		Header:  h,
		RawBody: raw,
	}
	if v, err := parseJSONBody(raw); err == nil {
		req.Body, _ = v.(map[string]any)
	}
	return req
}

// clone copies the mutable parts so callers cannot race with each other
// through shared maps. Body is shared: the server never writes to it.
func (r Request) clone() Request {
	r.Query = cloneValues(r.Query)
	r.Header = r.Header.Clone()
	r.RawBody = slices.Clone(r.RawBody)
	return r
}

func cloneValues(v url.Values) url.Values { return url.Values(http.Header(v).Clone()) }

// Requests returns every request received since NewServer or the last
// Reset, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = r.clone()
	}
	slices.SortFunc(out, func(a, b Request) int { return a.N - b.N })
	return out
}

// RequestCount returns how many requests were received since NewServer or
// the last Reset.
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}
