package aistatstest

import (
	"fmt"
	"time"

	"github.com/ai-stats/aistats-go"
)

// storedKey is one row of the server's management_keys table. Both
// generations use it; 2026-03 ignores the columns it did not have.
type storedKey struct {
	id, teamID, name, prefix, kid string
	status                        string
	// scopes is the text column: 2026-03 echoes it verbatim, 2026-07
	// stores a JSON array and answers it parsed (parseStoredScopeList).
	scopes      string
	createdBy   string // "" is null (2026-07 keys created through the API)
	createdAt   time.Time
	lastUsedAt  *time.Time
	softBlocked bool
	seq         int64 // insertion order, to break created_at ties

	// 2026-07 columns.
	secretHash string // HMAC of the secret; "" for 2026-03 rows
	updatedAt  *time.Time
	expiresAt  *time.Time
	limits     [limitColumns]*int64 // stored, never enforced
}

func (k *storedKey) orderKey() (time.Time, int64) { return k.createdAt, k.seq }

// KeySpec describes a management key to seed with Server.AddKey or
// Server.MintKey. Zero fields get the defaults the API would have used.
type KeySpec struct {
	Name   string
	Status aistats.KeyStatus // zero means active; any value is stored, e.g. "paused"
	// Scopes is stored verbatim, exactly as the server stores it: a JSON
	// array text (`["keys:read","keys:write"]`), "read,write", or anything
	// else. Empty means "[]". 2026-03 echoes the text; 2026-07 answers it
	// as an array, parsed like the server's parseStoredScopeList (a JSON
	// array, else a comma/space separated list), and a 2026-07 key needs
	// at least one scope to authenticate.
	Scopes string
	// TeamID is the owning workspace; zero means Server.TeamID. Other
	// workspaces' keys are invisible to the API.
	TeamID string
	// WorkspaceID is TeamID under its 2026-07 name; set either (setting
	// both to different values panics).
	WorkspaceID string
	CreatedBy   string // zero means Server.OwnerID
	SoftBlocked bool
	CreatedAt   time.Time  // zero means the server's clock (strictly increasing)
	LastUsedAt  *time.Time // nil is sent as null
	ID          string     // zero means a new UUID v4; must be a UUID
	Prefix      string     // zero means the first 6 characters of a new key id
	// ExpiresAt is when the key stops authenticating (2026-07); nil: never.
	ExpiresAt *time.Time
	// UpdatedAt is the updated_at column (2026-07); nil means CreatedAt.
	UpdatedAt *time.Time
}

// AddKey stores a management key directly, as if created earlier, and
// returns it as Get would. It panics if ID is not a UUID or is already
// taken, since that is a mistake in the test's setup.
func (s *Server) AddKey(k KeySpec) aistats.Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mintLocked("AddKey", k).toKey(s.version)
}

// MintKey stores a management key like AddKey and returns it with its
// plaintext, so a test can call the API with it. On 2026-07 the plaintext
// is a phaseo_v1_mk_ key that authenticates while the key is active,
// unexpired, not soft-blocked and has scopes; give it narrow Scopes
// (`["keys:read"]`) to test capability checks. On 2026-03 it is an
// aistats_v1_sk_ key that, like every created key there, the server does
// not accept.
func (s *Server) MintKey(spec KeySpec) aistats.CreatedKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.mintLocked("MintKey", spec)
	return aistats.CreatedKey{Key: m.toKey(s.version), Secret: aistats.NewSecret(m.plaintext)}
}

// SeedKeys stores n management keys named "key-0001", "key-0002", …
// (numbering continues across calls) with strictly increasing created_at,
// so the API's newest-first order is deterministic: the last seeded key is
// listed first. It returns them in creation order (oldest first).
func (s *Server) SeedKeys(n int) []aistats.Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]aistats.Key, 0, n)
	for range n {
		s.seeded++
		out = append(out, s.mintLocked("SeedKeys", KeySpec{Name: fmt.Sprintf("key-%04d", s.seeded)}).toKey(s.version))
	}
	return out
}

// Keys returns every stored management key (all workspaces; on 2026-07
// Server.ManagementKey's own row too), newest first, with the fields a GET of the
// key returns.
func (s *Server) Keys() []aistats.Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	rows := s.sortedLocked("")
	out := make([]aistats.Key, len(rows))
	for i, k := range rows {
		out[i] = k.toKey(s.version)
	}
	return out
}

// Key returns the stored management key with the given id (any UUID spelling).
func (s *Server) Key(id string) (aistats.Key, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := canonicalUUID(id); ok {
		if k, ok := s.keys[c]; ok {
			return k.toKey(s.version), true
		}
	}
	return aistats.Key{}, false
}

// mintedKey is a stored key and the plaintext that authenticates as it.
type mintedKey struct {
	*storedKey
	plaintext string
}

func (s *Server) mintLocked(method string, spec KeySpec) mintedKey {
	id := seedID(method, spec.ID)
	if _, dup := s.keys[id]; dup {
		panic(fmt.Sprintf("aistatstest: %s: a key with ID %s already exists", method, id))
	}
	workspace := spec.WorkspaceID
	if spec.TeamID != "" {
		if workspace != "" && workspace != spec.TeamID {
			panic(fmt.Sprintf("aistatstest: %s: TeamID %q and WorkspaceID %q differ", method, spec.TeamID, workspace))
		}
		workspace = spec.TeamID
	}
	kid, secret := newKeyMaterial()
	k := &storedKey{
		id:          id,
		teamID:      or(workspace, s.TeamID),
		name:        spec.Name,
		prefix:      or(spec.Prefix, kid[:prefixLength]),
		kid:         kid,
		status:      or(string(spec.Status), string(aistats.KeyStatusActive)),
		scopes:      or(spec.Scopes, "[]"),
		createdBy:   or(spec.CreatedBy, s.OwnerID),
		createdAt:   s.seedTimeLocked(spec.CreatedAt),
		lastUsedAt:  dbTimePtr(spec.LastUsedAt),
		softBlocked: spec.SoftBlocked,
		secretHash:  s.secretHash(secret),
		expiresAt:   dbTimePtr(spec.ExpiresAt),
		updatedAt:   dbTimePtr(spec.UpdatedAt),
	}
	if k.updatedAt == nil {
		k.updatedAt = &k.createdAt // the column's default is now(), like created_at's
	}
	s.insertLocked(k)
	namespace := managementKeyNamespace
	if s.version == aistats.APIVersionMarch2026 {
		namespace = keyNamespace
	}
	return mintedKey{k, formatToken(namespace, kid, secret)}
}

// seedID is a seeded row's id: spec's in canonical form, or a new one.
func seedID(method, spec string) string {
	if spec == "" {
		return newUUID()
	}
	c, ok := canonicalUUID(spec)
	if !ok {
		panic(fmt.Sprintf("aistatstest: %s: ID %q is not a UUID", method, spec))
	}
	return c
}

// seedTimeLocked is a seeded created_at: the spec's, or the server's clock.
func (s *Server) seedTimeLocked(t time.Time) time.Time {
	if t.IsZero() {
		return s.nowLocked()
	}
	return dbTime(t)
}

func (s *Server) insertLocked(k *storedKey) {
	k.seq = s.nextSeqLocked()
	s.keys[k.id] = k
}

func (s *Server) nextSeqLocked() int64 {
	s.seq++
	return s.seq
}

// sortedLocked returns the management keys of team (all teams if ""),
// newest first.
func (s *Server) sortedLocked(team string) []*storedKey {
	rows := make([]*storedKey, 0, len(s.keys))
	for _, k := range s.keys {
		if team == "" || k.teamID == team {
			rows = append(rows, k)
		}
	}
	sortNewestFirst(rows)
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

// jsNow is new Date() on the server: its clock, in milliseconds.
func (s *Server) jsNow() time.Time { return s.clock().UTC().Truncate(time.Millisecond) }

// dbTime is what a timestamptz column keeps: UTC, microseconds.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func dbTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := dbTime(*t)
	return &v
}

// cloneTime copies a nullable time so callers cannot change stored rows.
func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := *t
	return &v
}

func (k *storedKey) toKey(v aistats.APIVersion) aistats.Key {
	out := aistats.Key{
		ID:          k.id,
		Name:        k.name,
		Prefix:      k.prefix,
		Status:      aistats.KeyStatus(k.status),
		WorkspaceID: k.teamID,
		TeamID:      k.teamID,
		CreatedBy:   k.createdBy,
		SoftBlocked: k.softBlocked,
		CreatedAt:   k.createdAt,
		LastUsedAt:  cloneTime(k.lastUsedAt),
	}
	if v == aistats.APIVersionMarch2026 {
		out.Scopes = aistats.ParseScopes(k.scopes) // as the SDK reads them
		return out
	}
	if list := parseStoredScopeList(k.scopes); len(list) > 0 {
		out.Scopes = list
	}
	out.UpdatedAt, out.ExpiresAt = cloneTime(k.updatedAt), cloneTime(k.expiresAt)
	window := func(requests, costNanos int) aistats.WindowLimit {
		return aistats.WindowLimit{Requests: cloneInt(k.limits[requests]), CostNanos: cloneInt(k.limits[costNanos])}
	}
	out.Limits = aistats.Limits{
		Daily:   window(dailyRequests, dailyCostNanos),
		Weekly:  window(weeklyRequests, weeklyCostNanos),
		Monthly: window(monthlyRequests, monthlyCostNanos),
	}
	return out
}

func cloneInt(n *int64) *int64 {
	if n == nil {
		return nil
	}
	v := *n
	return &v
}

func or(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}
