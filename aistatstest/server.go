package aistatstest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Server is an in-memory fake of the AI Stats Management Keys API
// (generation A: /v1/management/keys with {"ok": …} envelopes). It is safe
// for concurrent use.
type Server struct {
	// URL is the base URL including /v1, e.g. "http://127.0.0.1:PORT/v1";
	// pass it to aistats.WithBaseURL.
	URL string
	// APIKey is the only key the server accepts, shaped like a real one:
	// aistats_v1_sk_<12 base62>_<40 base62>. It is random per server.
	APIKey string
	// TeamID is the authenticated team. Only its keys are visible through
	// the API, and a team_id parameter must equal it.
	TeamID string
	// OwnerID is the team owner, recorded as created_by on new keys.
	OwnerID string

	ts          *httptest.Server
	kid, secret string
	clock       func() time.Time
	closing     chan struct{}
	closeOnce   sync.Once

	mu            sync.Mutex
	keys          map[string]*storedKey // by canonical id
	seq           int64
	lastNow       time.Time
	seeded        int
	arrivals      int
	requests      []Request
	faults        []*InjectedFault
	faultsApplied int
}

// ServerOption configures NewServer.
type ServerOption func(*Server)

// WithTeamID fixes the authenticated team's id (default: a random UUID).
func WithTeamID(id string) ServerOption { return func(s *Server) { s.TeamID = id } }

// WithOwnerID fixes the team owner's id recorded as created_by (default: a
// random UUID).
func WithOwnerID(id string) ServerOption { return func(s *Server) { s.OwnerID = id } }

// WithClock replaces time.Now for created_at stamps and request ids; it is
// called from request goroutines, so it must be safe for concurrent use.
// The server still moves created_at forward by at least 1ms per key so that
// newest-first order stays deterministic with a frozen clock.
func WithClock(now func() time.Time) ServerOption { return func(s *Server) { s.clock = now } }

// NewServer starts a fake API server on a loopback port. Call Close when
// done; it does not need a testing.TB, so examples can use it too.
func NewServer(opts ...ServerOption) *Server {
	s := &Server{
		TeamID:  newUUID(),
		OwnerID: newUUID(),
		clock:   time.Now,
		closing: make(chan struct{}),
		keys:    map[string]*storedKey{},
	}
	for _, opt := range opts {
		opt(s)
	}
	s.kid, s.secret = newKeyMaterial()
	s.APIKey = formatKey(s.kid, s.secret)
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.ts.URL + apiPrefix
	return s
}

// Close stops the server. Requests held by a Slow fault are dropped rather
// than waited for.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.ts.Close()
}

// HTTPClient returns an *http.Client configured for the server, like
// httptest.Server.Client.
func (s *Server) HTTPClient() *http.Client { return s.ts.Client() }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	// Read the whole body first: faults and the recorder need it, and a
	// dropped connection must not race a half-read request.
	raw, _ := io.ReadAll(r.Body)
	if fault := s.admit(r, raw); fault != nil {
		s.applyFault(w, r, raw, fault.fault)
		return
	}
	s.route(w, r, raw, routeMods{})
}

// Reset forgets recorded requests and injected faults and restarts request
// numbering at 1. Keys are kept.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests, s.faults = nil, nil
	s.arrivals, s.faultsApplied = 0, 0
}
