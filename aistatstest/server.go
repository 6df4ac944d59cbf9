package aistatstest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/ai-stats/aistats-go"
)

// Server is an in-memory fake of the AI Stats (Phaseo) key-management API.
// It speaks one API generation, chosen with WithAPIVersion:
//
//   - 2026-07 (the default, what the hosted service answers):
//     /v1/management-keys and /v1/keys with {"data": …} envelopes,
//     authenticated with a phaseo_v1_mk_ management key and its
//     capability scopes.
//   - 2026-03: /v1/management/keys with {"ok": …} envelopes,
//     authenticated with an aistats_v1_sk_ key.
//
// It is safe for concurrent use.
type Server struct {
	// URL is the base URL including /v1; pass it to aistats.WithBaseURL.
	// NewServer's is "http://127.0.0.1:PORT/v1", a loopback listener;
	// NewClient's is "https://aistatstest-N.invalid/v1", a host no
	// resolver knows, answered only by Transport and HTTPClient.
	URL string
	// ManagementKey is the credential to call the server with. It is
	// random per server.
	//
	// On 2026-07 it is a full-control management key,
	// phaseo_v1_mk_<12 base62>_<40 base62>, stored in the management-keys
	// table like any other: named "aistatstest", created with the
	// server, so GET /v1/management-keys and Keys list it (the real server
	// lists the caller's own key too), the key limit counts it, and a test
	// can pause, expire or delete it. Other management keys work as
	// credentials too; see MintKey.
	//
	// On 2026-03 it is aistats_v1_sk_<12 base62>_<40 base62>, the only key
	// the server accepts; it is not a row of the table.
	ManagementKey string
	// APIKey holds the same value as ManagementKey.
	//
	// Deprecated: use ManagementKey. The server's credential is a
	// management key; its API keys (inference keys) are Server.APIKeys.
	APIKey string
	// TeamID is the authenticated workspace (2026-03 called it a team).
	// Only its keys are visible through the API, and a team_id (2026-03) or
	// workspace_id (2026-07) parameter must equal it.
	TeamID string
	// WorkspaceID holds the same value as TeamID.
	WorkspaceID string
	// OwnerID is the workspace owner, recorded as created_by on new keys
	// (on 2026-07 only on API keys: a management key created through the
	// API has created_by null).
	OwnerID string

	ts          *httptest.Server // nil: served in memory only (NewClient)
	inflight    sync.WaitGroup   // in-memory requests being served
	mem         *http.Client     // HTTPClient of an in-memory server
	version     aistats.APIVersion
	dialect     *dialect
	kid, secret string // 2026-03: Server.ManagementKey's parts
	pepper      []byte // 2026-07: the HMAC key of stored secrets
	keyLimit    int    // 2026-07: the workspace key limit
	noRotation  bool   // 2026-07: no POST /v1/keys/{id}/rotate
	clock       func() time.Time
	closing     chan struct{}
	closeOnce   sync.Once

	mu            sync.Mutex
	closed        bool                     // Close was called
	keys          map[string]*storedKey    // management keys by canonical id
	apiKeys       map[string]*storedAPIKey // 2026-07 API keys by canonical id
	seq           int64
	lastNow       time.Time
	seeded        int
	apiSeeded     int
	arrivals      int
	requests      []Request
	faults        []*InjectedFault
	faultsApplied int
}

// ServerOption configures NewServer.
type ServerOption func(*Server)

// WithAPIVersion selects the API generation the server speaks:
// aistats.APIVersionJuly2026 (the default) or aistats.APIVersionMarch2026.
// NewServer panics on any other value.
func WithAPIVersion(v aistats.APIVersion) ServerOption { return func(s *Server) { s.version = v } }

// WithTeamID fixes the authenticated workspace's id (default: a random
// UUID). It sets TeamID and WorkspaceID.
func WithTeamID(id string) ServerOption {
	return func(s *Server) { s.TeamID, s.WorkspaceID = id, id }
}

// WithWorkspaceID is WithTeamID under the 2026-07 name.
func WithWorkspaceID(id string) ServerOption { return WithTeamID(id) }

// WithOwnerID fixes the workspace owner's id recorded as created_by
// (default: a random UUID).
func WithOwnerID(id string) ServerOption { return func(s *Server) { s.OwnerID = id } }

// WithClock replaces time.Now for created_at stamps, request ids and (on
// 2026-07) expiry checks, updated_at and last_used_at; it is called from
// request goroutines, so it must be safe for concurrent use. The server
// still moves created_at forward by at least 1ms per key so that
// newest-first order stays deterministic with a frozen clock.
func WithClock(now func() time.Time) ServerOption { return func(s *Server) { s.clock = now } }

// DefaultKeyLimit is the workspace key limit of a 2026-07 server, the
// live server's default (its WORKSPACE_KEY_LIMIT): a workspace holds at
// most this many keys, API keys that are not deleted and management keys
// together, Server.ManagementKey included.
const DefaultKeyLimit = 100

// WithKeyLimit changes a 2026-07 server's workspace key limit from
// DefaultKeyLimit to n: creating a management key, an API key or a
// rotated key through the API fails once the workspace holds n keys (API
// keys that are not deleted plus every management key,
// Server.ManagementKey included), with the 500 internal_error the real
// server answers. Raise it to create more keys through the API; lower it
// to reach the limit with few. n must be at least 1.
//
// Seeding (SeedAPIKeys, AddAPIKey, SeedKeys, AddKey, MintKey) is never
// refused, so pagination tests can hold thousands of keys; creates
// through the API then fail until keys are deleted. It has no effect on
// 2026-03, whose server had no limit.
func WithKeyLimit(n int) ServerOption {
	if n < 1 {
		panic(fmt.Sprintf("aistatstest: WithKeyLimit(%d): the limit must be at least 1", n))
	}
	return func(s *Server) { s.keyLimit = n }
}

// WithoutRotation makes a 2026-07 server answer POST
// /v1/keys/{id}/rotate with Hono's text/plain 404, as servers deployed
// before rotation existed do, so clients can test their fallback. It has
// no effect on 2026-03, which never had the route.
func WithoutRotation() ServerOption { return func(s *Server) { s.noRotation = true } }

// NewServer starts a fake API server on a loopback port, for tests that
// need a real socket (a client of their own, another process, TLS or
// HTTP/2 behaviour). Call Close when done; it does not need a testing.TB,
// so examples can use it too. Most tests want NewClient, which serves in
// memory. NewServer panics on an unknown WithAPIVersion.
func NewServer(opts ...ServerOption) *Server {
	s := buildServer(opts)
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.ts.URL + apiPrefix
	return s
}

// buildServer builds a server that listens nowhere; its URL is set by the
// caller.
func buildServer(opts []ServerOption) *Server {
	id := newUUID()
	s := &Server{
		TeamID:      id,
		WorkspaceID: id,
		OwnerID:     newUUID(),
		version:     aistats.APIVersionJuly2026,
		keyLimit:    DefaultKeyLimit,
		pepper:      newPepper(),
		clock:       time.Now,
		closing:     make(chan struct{}),
		keys:        map[string]*storedKey{},
		apiKeys:     map[string]*storedAPIKey{},
	}
	for _, opt := range opts {
		opt(s)
	}
	switch s.version {
	case aistats.APIVersionMarch2026:
		s.dialect = march2026
		s.kid, s.secret = newKeyMaterial()
		s.ManagementKey = formatKey(s.kid, s.secret)
	case aistats.APIVersionJuly2026:
		s.dialect = july2026(!s.noRotation)
		s.ManagementKey = s.mintLocked("NewServer", KeySpec{Name: serverKeyName, Scopes: serializeScopeList(controlCapabilities)}).plaintext
	default:
		panic(fmt.Sprintf("aistatstest: NewServer: unknown API version %q; want %q or %q",
			s.version, aistats.APIVersionJuly2026, aistats.APIVersionMarch2026))
	}
	s.APIKey = s.ManagementKey // the deprecated alias, set once with it
	return s
}

// serverKeyName names Server.ManagementKey's row on 2026-07.
const serverKeyName = "aistatstest"

// APIVersion returns the API generation the server speaks.
func (s *Server) APIVersion() aistats.APIVersion { return s.version }

// Close stops the server and waits for the requests it is serving.
// Requests held by a Slow fault are dropped rather than waited for. Later
// requests fail as a refused connection does. It is safe to call more
// than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.mu.Lock()
	s.closed = true // no request enters the in-memory transport from now on
	s.mu.Unlock()
	if s.ts != nil {
		s.ts.Close()
	}
	s.inflight.Wait()
}

// HTTPClient returns an *http.Client for the server, like
// httptest.Server.Client: for NewServer, one that dials its listener; for
// NewClient's server, one whose Transport is Transport().
func (s *Server) HTTPClient() *http.Client {
	if s.ts != nil {
		return s.ts.Client()
	}
	return s.mem
}

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
