package aistats

import "time"

// KeyStatus is the lifecycle state of a key. The set is open: servers add
// values over time, so unknown values decode as-is.
type KeyStatus string

// Statuses. Writes accept active, disabled and revoked on 2026-03, and
// active and paused on 2026-07; deleted (an API-key tombstone) and
// compromised (set by leak reports) are read only.
const (
	KeyStatusActive      KeyStatus = "active"
	KeyStatusDisabled    KeyStatus = "disabled" // 2026-03
	KeyStatusRevoked     KeyStatus = "revoked"  // 2026-03
	KeyStatusPaused      KeyStatus = "paused"   // 2026-07; the 2026-03 dashboard also writes it
	KeyStatusDeleted     KeyStatus = "deleted"  // read only: a deleted API key
	KeyStatusCompromised KeyStatus = "compromised"
)

// Valid reports whether s is one of the statuses the 2026-03 API accepts on
// writes (active, disabled, revoked).
func (s KeyStatus) Valid() bool {
	return s == KeyStatusActive || s == KeyStatusDisabled || s == KeyStatusRevoked
}

// KeyTemplate names a set of capability scopes for a new management key
// (2026-07). The server expands it and stores the explicit list.
type KeyTemplate string

// Templates the 2026-07 API accepts.
const (
	KeyTemplateReadOnly    KeyTemplate = "read-only"    // every *:read capability
	KeyTemplateReadWrite   KeyTemplate = "read-write"   // every *:read and *:write
	KeyTemplateFullControl KeyTemplate = "full-control" // every capability
)

func (t KeyTemplate) known() bool {
	return t == KeyTemplateReadOnly || t == KeyTemplateReadWrite || t == KeyTemplateFullControl
}

// Key is a management key: the credential that calls this API. It never
// holds the plaintext; see [CreatedKey].
type Key struct {
	ID     string    `json:"id"`
	Name   string    `json:"name"`
	Prefix string    `json:"prefix"` // first 6 characters of the key id, safe to show
	Status KeyStatus `json:"status"`
	// Scopes are capability names on 2026-07 ("keys:read"); on 2026-03 the
	// opaque list the key was created with.
	Scopes Scopes `json:"scopes"`
	// WorkspaceID is the owning workspace, from "workspace_id" or, on
	// 2026-03 servers, "team_id". 2026-03 list responses omit it.
	WorkspaceID string `json:"workspace_id,omitempty"`
	// TeamID holds the same value as WorkspaceID, under the name 2026-03
	// code knows; new code should read WorkspaceID.
	TeamID      string     `json:"team_id,omitempty"`
	CreatedBy   string     `json:"created_by,omitempty"`
	SoftBlocked bool       `json:"soft_blocked"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   *time.Time `json:"updated_at,omitempty"` // 2026-07
	LastUsedAt  *time.Time `json:"last_used_at"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty"` // 2026-07; nil: never expires
	// Limits are the request and cost limits stored with the key (2026-07).
	// The server keeps them but does not enforce them on management keys.
	Limits Limits `json:"limits,omitzero"`
}

// Limits are per-window request and spend limits.
type Limits struct {
	Daily, Weekly, Monthly WindowLimit
}

// WindowLimit is one window's limits; nil means no limit.
type WindowLimit struct {
	Requests *int64 `json:"requests,omitempty"`
	// CostNanos is the spend limit in billionths of a US dollar, the unit
	// the server stores.
	CostNanos *int64 `json:"cost_nanos,omitempty"`
}

// CostUSD returns the spend limit in US dollars, and false when there is none.
func (w WindowLimit) CostUSD() (float64, bool) {
	if w.CostNanos == nil {
		return 0, false
	}
	return float64(*w.CostNanos) / 1e9, true
}

// CreatedKey is the answer to Create: the key plus its plaintext, which the
// API returns exactly once.
type CreatedKey struct {
	Key
	// Secret is the one-time plaintext. It prints and marshals redacted;
	// call Secret.Reveal to read it.
	Secret Secret `json:"secret"`
}

// KeyPage is one page of a List call.
type KeyPage struct {
	Keys []*Key
	// Limit and Offset are the values the server applied: Limit is clamped
	// to MaxPageSize, and 0 asked for the server's default page (50 keys on
	// 2026-03, 100 on 2026-07), which Limit then reports.
	Limit, Offset int
	// Total is the server's count of all keys, or -1 when the API version
	// reports none (2026-07), as http.Response.ContentLength does. It comes
	// from a separate query that can be stale or fail silently to 0: it is a
	// hint, and paging never stops because of it (but a short page is
	// followed when Total says more keys lie beyond it).
	Total int

	opts   ListKeysOptions // the options that produced this page, for NextOptions
	served int             // keys the server sent, before Pages dropped repeats
}

// ListKeysOptions selects a page of keys. The zero value asks for the
// server's default page from the start.
type ListKeysOptions struct {
	// TeamID must equal the caller's team unless the caller is internal.
	// 2026-03 only: on 2026-07 the workspace is the credential's own.
	TeamID string `url:"team_id,omitempty"`
	// Limit is the page size; 0 means the server default, values above
	// MaxPageSize are clamped.
	Limit  int `url:"limit,omitempty"`
	Offset int `url:"offset,omitempty"`
}

// CreateKeyParams are the fields of a new management key. Name is required.
//
// On 2026-07 give exactly one of Scopes and Template; Status may be "",
// active or paused; ExpiresAt is optional. On 2026-03 Scopes is optional
// and stored verbatim, Status may be active, disabled or revoked, and
// TeamID and SoftBlocked may be set.
type CreateKeyParams struct {
	Name     string      `json:"name"`
	Scopes   Scopes      `json:"scopes,omitempty"`
	Template KeyTemplate `json:"template,omitempty"` // 2026-07
	Status   KeyStatus   `json:"status,omitempty"`
	// ExpiresAt is when the key stops working (2026-07); nil or the zero
	// time: never.
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	TeamID    string     `json:"team_id,omitempty"` // 2026-03
	// SoftBlocked is a pointer so that false can be sent explicitly (2026-03).
	SoftBlocked *bool `json:"soft_blocked,omitempty"`
}

// UpdateKeyParams changes a management key. Only non-nil (non-empty)
// fields are sent, so SoftBlocked: Ptr(false) sends false and a nil Name
// leaves the name alone. At least one field must be set.
type UpdateKeyParams struct {
	Name *string `json:"name,omitempty"`
	// Status is active or paused on 2026-07; active, disabled or revoked on 2026-03.
	Status      *KeyStatus `json:"status,omitempty"`
	SoftBlocked *bool      `json:"soft_blocked,omitempty"`
	// Scopes replaces the key's capability list (2026-07); nil leaves it.
	Scopes Scopes `json:"scopes,omitempty"`
	// Template replaces the key's capabilities with a template's (2026-07);
	// "" leaves them.
	Template KeyTemplate `json:"template,omitempty"`
	// ExpiresAt sets the expiry (2026-07): nil leaves it,
	// Ptr(time.Time{}) removes it.
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// Ptr returns a pointer to v, for the optional fields of the params types.
func Ptr[T any](v T) *T { return &v }

// MaxNameLength is the longest key name the 2026-03 server accepts.
const MaxNameLength = 100

func (c *CreatedKey) setSecret(s Secret) { c.Secret = s }
