package aistatstest

import (
	"fmt"
	"math"
	"time"

	"github.com/ai-stats/aistats-go"
)

// chatManagedKeyName names the key the dashboard's chat uses; the /keys
// routes never show it.
const chatManagedKeyName = "__chat_route_managed_key__"

// storedAPIKey is one row of the 2026-07 server's keys table.
type storedAPIKey struct {
	id, workspaceID, name, prefix, kid string
	hash                               string // HMAC of the secret; "deleted:<id>" once deleted
	status                             string
	createdBy                          string
	softBlocked                        bool
	costNanos                          [3]int64 // daily, weekly, monthly; 0 means none
	createdAt                          time.Time
	lastUsedAt, expiresAt              *time.Time
	seq                                int64
}

func (k *storedAPIKey) orderKey() (time.Time, int64) { return k.createdAt, k.seq }

// limitWindows are the cost columns' windows, in the order the server
// picks the limit from: the first positive one wins.
var limitWindows = [3]aistats.LimitReset{aistats.LimitResetDaily, aistats.LimitResetWeekly, aistats.LimitResetMonthly}

// limit is the USD limit and its window, or nil.
func (k *storedAPIKey) limit() (*float64, aistats.LimitReset) {
	for i, nanos := range k.costNanos {
		if nanos > 0 {
			usd := float64(nanos) / 1e9
			return &usd, limitWindows[i]
		}
	}
	return nil, ""
}

// APIKeySpec describes an API key to seed with Server.AddAPIKey (2026-07).
// Zero fields get the defaults the API would have used.
type APIKeySpec struct {
	Name string
	// Status is stored as given; zero means active. Seed paused,
	// compromised or deleted keys with it; a deleted key gets the
	// tombstone hash "deleted:<id>", as deleting through the API does.
	Status      aistats.KeyStatus
	SoftBlocked bool
	// Limit is the USD spend limit per LimitReset window (monthly when
	// LimitReset is empty); nil: none. It must not be negative.
	Limit      *float64
	LimitReset aistats.LimitReset
	ExpiresAt  *time.Time
	CreatedAt  time.Time  // zero means the server's clock (strictly increasing)
	LastUsedAt *time.Time // nil is sent as null
	ID         string     // zero means a new UUID v4; must be a UUID
	Prefix     string     // zero means the first 6 characters of a new key id
	// WorkspaceID is the owning workspace; zero means Server.WorkspaceID.
	// Other workspaces' keys are invisible to the API.
	WorkspaceID string
	CreatedBy   string // zero means Server.OwnerID
}

// AddAPIKey stores an API key directly, as if created earlier, and returns
// it as GET /v1/keys/{id} would. It panics on a 2026-03 server (which has
// no API keys), and when ID is not a UUID or is taken, or Limit or
// LimitReset are invalid, since those are mistakes in the test's setup.
func (s *Server) AddAPIKey(spec APIKeySpec) aistats.APIKey {
	s.mustHaveAPIKeys("AddAPIKey")
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addAPIKeyLocked("AddAPIKey", spec).toAPIKey()
}

// SeedAPIKeys stores n active API keys named "api-key-0001", … (numbering
// continues across calls) with strictly increasing created_at, so the
// last one is listed first. It returns them oldest first. It panics on a
// 2026-03 server.
func (s *Server) SeedAPIKeys(n int) []aistats.APIKey {
	s.mustHaveAPIKeys("SeedAPIKeys")
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]aistats.APIKey, 0, n)
	for range n {
		s.apiSeeded++
		spec := APIKeySpec{Name: fmt.Sprintf("api-key-%04d", s.apiSeeded)}
		out = append(out, s.addAPIKeyLocked("SeedAPIKeys", spec).toAPIKey())
	}
	return out
}

// APIKeys returns every stored API key (all workspaces, deleted ones
// included), newest first. It panics on a 2026-03 server.
func (s *Server) APIKeys() []aistats.APIKey {
	s.mustHaveAPIKeys("APIKeys")
	s.mu.Lock()
	defer s.mu.Unlock()
	rows := s.sortedAPIKeysLocked("", true)
	out := make([]aistats.APIKey, len(rows))
	for i, k := range rows {
		out[i] = k.toAPIKey()
	}
	return out
}

// APIKeyByID returns the stored API key with the given id (any UUID
// spelling) or, failing that, hash. Deleted keys are found by id and by
// their tombstone hash. It panics on a 2026-03 server.
func (s *Server) APIKeyByID(idOrHash string) (aistats.APIKey, bool) {
	s.mustHaveAPIKeys("APIKeyByID")
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := canonicalUUID(idOrHash); ok {
		if k, ok := s.apiKeys[c]; ok {
			return k.toAPIKey(), true
		}
	}
	for _, k := range s.apiKeys {
		if k.hash == idOrHash {
			return k.toAPIKey(), true
		}
	}
	return aistats.APIKey{}, false
}

func (s *Server) mustHaveAPIKeys(method string) {
	if s.version == aistats.APIVersionMarch2026 {
		panic("aistatstest: " + method + ": API keys exist only on 2026-07 servers; this one speaks 2026-03")
	}
}

func (s *Server) addAPIKeyLocked(method string, spec APIKeySpec) *storedAPIKey {
	id := seedID(method, spec.ID)
	if _, dup := s.apiKeys[id]; dup {
		panic(fmt.Sprintf("aistatstest: %s: an API key with ID %s already exists", method, id))
	}
	k, _ := s.newAPIKeyLocked(id, or(spec.WorkspaceID, s.TeamID), spec.Name, spec.CreatedAt)
	defer s.insertAPIKeyLocked(k)
	k.status = or(string(spec.Status), string(aistats.KeyStatusActive))
	if k.status == string(aistats.KeyStatusDeleted) {
		k.hash = "deleted:" + id
	}
	k.prefix = or(spec.Prefix, k.prefix)
	k.createdBy = or(spec.CreatedBy, s.OwnerID)
	k.softBlocked = spec.SoftBlocked
	k.lastUsedAt, k.expiresAt = dbTimePtr(spec.LastUsedAt), dbTimePtr(spec.ExpiresAt)
	if spec.Limit != nil {
		if l := *spec.Limit; l < 0 || math.IsNaN(l) || math.IsInf(l, 0) {
			panic(fmt.Sprintf("aistatstest: %s: Limit %v is not a non-negative number", method, l))
		}
		reset := aistats.LimitReset(or(string(spec.LimitReset), string(aistats.LimitResetMonthly)))
		if !knownWindow(reset) {
			panic(fmt.Sprintf("aistatstest: %s: LimitReset %q is not daily, weekly or monthly", method, reset))
		}
		cols, ok := costColumns(*spec.Limit, reset)
		if !ok {
			panic(fmt.Sprintf("aistatstest: %s: Limit %v is too large to store in nanos", method, *spec.Limit))
		}
		k.costNanos = cols
	}
	return k
}

// newAPIKeyLocked makes an active API key with fresh key material, as the
// create route does, and returns it with its plaintext. It is not stored
// until insertAPIKeyLocked.
func (s *Server) newAPIKeyLocked(id, workspace, name string, createdAt time.Time) (*storedAPIKey, string) {
	kid, secret := newKeyMaterial()
	k := &storedAPIKey{
		id: id, workspaceID: workspace, name: name, prefix: kid[:prefixLength], kid: kid,
		hash: s.secretHash(secret), status: string(aistats.KeyStatusActive), createdBy: s.OwnerID,
		createdAt: s.seedTimeLocked(createdAt),
	}
	return k, formatToken(apiKeyNamespace, kid, secret)
}

func (s *Server) insertAPIKeyLocked(k *storedAPIKey) {
	k.seq = s.nextSeqLocked()
	s.apiKeys[k.id] = k
}

// sortedAPIKeysLocked returns the API keys of workspace (all if ""),
// newest first; with all false only the active, unblocked ones the list
// shows by default. The chat-managed key is never included.
func (s *Server) sortedAPIKeysLocked(workspace string, all bool) []*storedAPIKey {
	rows := make([]*storedAPIKey, 0, len(s.apiKeys))
	for _, k := range s.apiKeys {
		if workspace != "" && (k.workspaceID != workspace || k.name == chatManagedKeyName) {
			continue
		}
		if all || k.status == string(aistats.KeyStatusActive) && !k.softBlocked {
			rows = append(rows, k)
		}
	}
	sortNewestFirst(rows)
	return rows
}

// keyLimitReachedLocked is enforceWorkspaceKeyLimit: API keys that are not
// deleted (but the chat key) plus all management keys, against the
// limit (DefaultKeyLimit or WithKeyLimit).
func (s *Server) keyLimitReachedLocked(workspace string) bool {
	n := len(s.sortedLocked(workspace))
	for _, k := range s.sortedAPIKeysLocked(workspace, true) {
		if k.status != string(aistats.KeyStatusDeleted) {
			n++
		}
	}
	return n >= s.keyLimit
}

func (k *storedAPIKey) toAPIKey() aistats.APIKey {
	limit, reset := k.limit()
	return aistats.APIKey{
		ID: k.id, Hash: k.hash, WorkspaceID: k.workspaceID, Name: k.name, Prefix: k.prefix,
		Status: aistats.KeyStatus(k.status), Disabled: k.disabled(), SoftBlocked: k.softBlocked,
		Limit: limit, LimitReset: reset, CreatedBy: k.createdBy, CreatedAt: k.createdAt,
		LastUsedAt: cloneTime(k.lastUsedAt), ExpiresAt: cloneTime(k.expiresAt),
	}
}
