package aistatstest

import (
	"fmt"
	"sort"
	"time"

	"github.com/ai-stats/aistats-go"
)

// storedKey is one row of the server's management_keys table.
type storedKey struct {
	id, teamID, name, prefix, kid string
	status                        string
	scopes                        string // opaque text, echoed verbatim
	createdBy                     string
	createdAt                     time.Time
	lastUsedAt                    *time.Time
	softBlocked                   bool
	seq                           int64 // insertion order, to break created_at ties
}

// KeySpec describes a key to seed with Server.AddKey. Zero fields get the
// defaults the API would have used.
type KeySpec struct {
	Name   string
	Status aistats.KeyStatus // zero means active; any value is stored, e.g. "paused"
	// Scopes is stored verbatim, exactly as the server stores it: a JSON
	// array text (`["read","write"]`), "read,write", or anything else.
	// Empty means "[]".
	Scopes      string
	TeamID      string // zero means Server.TeamID; other teams' keys are invisible to the API
	CreatedBy   string // zero means Server.OwnerID
	SoftBlocked bool
	CreatedAt   time.Time  // zero means the server's clock (strictly increasing)
	LastUsedAt  *time.Time // nil is sent as null
	ID          string     // zero means a new UUID v4; must be a UUID
	Prefix      string     // zero means the first 6 characters of a new key id
}

// AddKey stores a key directly, as if created earlier, and returns it as Get
// would. It panics if ID is not a UUID or is already taken, since that is a
// mistake in the test's setup.
func (s *Server) AddKey(k KeySpec) aistats.Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addKeyLocked(k).toKey()
}

// SeedKeys stores n keys named "key-0001", "key-0002", … (numbering
// continues across calls) with strictly increasing created_at, so the
// API's newest-first order is deterministic: the last seeded key is listed
// first. It returns them in creation order (oldest first).
func (s *Server) SeedKeys(n int) []aistats.Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]aistats.Key, 0, n)
	for range n {
		s.seeded++
		out = append(out, s.addKeyLocked(KeySpec{Name: fmt.Sprintf("key-%04d", s.seeded)}).toKey())
	}
	return out
}

// Keys returns every stored key (all teams), newest first, with the fields
// GET /management/keys/{id} returns.
func (s *Server) Keys() []aistats.Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	rows := s.sortedLocked("")
	out := make([]aistats.Key, len(rows))
	for i, k := range rows {
		out[i] = k.toKey()
	}
	return out
}

// Key returns the stored key with the given id (any UUID spelling).
func (s *Server) Key(id string) (aistats.Key, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := canonicalUUID(id); ok {
		if k, ok := s.keys[c]; ok {
			return k.toKey(), true
		}
	}
	return aistats.Key{}, false
}

func (s *Server) addKeyLocked(spec KeySpec) *storedKey {
	id := newUUID()
	if spec.ID != "" {
		c, ok := canonicalUUID(spec.ID)
		if !ok {
			panic(fmt.Sprintf("aistatstest: AddKey: ID %q is not a UUID", spec.ID))
		}
		id = c
	}
	if _, dup := s.keys[id]; dup {
		panic(fmt.Sprintf("aistatstest: AddKey: a key with ID %s already exists", id))
	}
	kid, _ := newKeyMaterial()
	k := &storedKey{
		id:          id,
		teamID:      or(spec.TeamID, s.TeamID),
		name:        spec.Name,
		prefix:      or(spec.Prefix, kid[:prefixLength]),
		kid:         kid,
		status:      or(string(spec.Status), string(aistats.KeyStatusActive)),
		scopes:      or(spec.Scopes, "[]"),
		createdBy:   or(spec.CreatedBy, s.OwnerID),
		createdAt:   dbTime(spec.CreatedAt),
		lastUsedAt:  spec.LastUsedAt,
		softBlocked: spec.SoftBlocked,
	}
	if spec.CreatedAt.IsZero() {
		k.createdAt = s.nowLocked()
	}
	if k.lastUsedAt != nil {
		t := dbTime(*k.lastUsedAt)
		k.lastUsedAt = &t
	}
	s.insertLocked(k)
	return k
}

func (s *Server) insertLocked(k *storedKey) {
	s.seq++
	k.seq = s.seq
	s.keys[k.id] = k
}

// sortedLocked returns the keys of team (all teams if ""), created_at DESC.
// The real server has no tie-breaker; the fake uses newest insertion first
// so tests are deterministic.
func (s *Server) sortedLocked(team string) []*storedKey {
	rows := make([]*storedKey, 0, len(s.keys))
	for _, k := range s.keys {
		if team == "" || k.teamID == team {
			rows = append(rows, k)
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if !rows[i].createdAt.Equal(rows[j].createdAt) {
			return rows[i].createdAt.After(rows[j].createdAt)
		}
		return rows[i].seq > rows[j].seq
	})
	return rows
}

// nowLocked is the server's clock, forced to move forward by at least a
// millisecond per call so keys created back to back still sort newest first.
// Milliseconds, because the server stamps created_at with JavaScript's
// Date.toISOString.
func (s *Server) nowLocked() time.Time {
	t := s.clock().UTC().Truncate(time.Millisecond)
	if !t.After(s.lastNow) {
		t = s.lastNow.Add(time.Millisecond)
	}
	s.lastNow = t
	return t
}

// dbTime is what a timestamptz column keeps: UTC, microseconds.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func (k *storedKey) toKey() aistats.Key {
	out := aistats.Key{
		ID:          k.id,
		Name:        k.name,
		Prefix:      k.prefix,
		Status:      aistats.KeyStatus(k.status),
		Scopes:      aistats.ParseScopes(k.scopes), // as the SDK reads them
		TeamID:      k.teamID,
		CreatedBy:   k.createdBy,
		SoftBlocked: k.softBlocked,
		CreatedAt:   k.createdAt,
	}
	if k.lastUsedAt != nil {
		t := *k.lastUsedAt
		out.LastUsedAt = &t
	}
	return out
}

func or(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}
