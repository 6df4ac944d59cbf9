package aistats

import "time"

// LimitReset is the window an API key's USD spend limit applies to.
type LimitReset string

// Limit windows.
const (
	LimitResetDaily   LimitReset = "daily"
	LimitResetWeekly  LimitReset = "weekly"
	LimitResetMonthly LimitReset = "monthly"
)

func (r LimitReset) known() bool {
	return r == LimitResetDaily || r == LimitResetWeekly || r == LimitResetMonthly
}

// APIKey is an inference (gateway) API key, managed through /v1/keys on
// 2026-07. It never holds the plaintext; see [CreatedAPIKey].
type APIKey struct {
	ID string `json:"id"`
	// Hash identifies the key without its secret (64 hex digits); Get
	// accepts it in place of ID. A deleted key's hash is "deleted:<id>".
	Hash        string `json:"hash"`
	WorkspaceID string `json:"workspace_id"`
	Name        string `json:"name"`
	Prefix      string `json:"prefix"` // first 6 characters of the key id, safe to show
	// Status is active, paused, deleted or compromised; the set is open.
	Status KeyStatus `json:"status"`
	// Disabled is true when the key cannot be used: not active, or soft-blocked.
	Disabled    bool `json:"disabled"`
	SoftBlocked bool `json:"soft_blocked"`
	// Limit is the USD spend limit per LimitReset window; nil: no limit.
	Limit      *float64   `json:"limit"`
	LimitReset LimitReset `json:"limit_reset,omitempty"`
	CreatedBy  string     `json:"created_by,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  *time.Time `json:"updated_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`

	// Newer servers also report usage and per-window limits; these are
	// zero when the server does not send them.

	// LimitRemaining is the USD left in the current window; nil: no limit
	// or not reported.
	LimitRemaining *float64 `json:"limit_remaining,omitempty"`
	// Usage is the spend and request counts; nil when not reported.
	Usage *APIKeyUsage `json:"usage,omitempty"`
	// Limits are the per-window request and cost limits, when reported.
	Limits Limits `json:"limits,omitzero"`
}

// APIKeyUsage is what an API key has used, overall and per window.
type APIKeyUsage struct {
	Total, Daily, Weekly, Monthly UsageWindow
}

// UsageWindow is the usage in one window.
type UsageWindow struct {
	Requests int64   `json:"requests"`
	CostUSD  float64 `json:"cost_usd"`
}

// CreatedAPIKey is the answer to APIKeys.Create: the key plus its plaintext,
// which the API returns exactly once.
type CreatedAPIKey struct {
	APIKey
	// Secret is the one-time plaintext (phaseo_v1_sk_…). It prints and
	// marshals redacted; call Secret.Reveal to read it.
	Secret Secret `json:"secret"`
}

// RotatedAPIKey is the answer to APIKeys.Rotate: a new key (new id, new
// secret) with the old key's limits and soft-block, but not its expiry or
// pause; see APIKeysService.Rotate for the full list.
type RotatedAPIKey struct {
	CreatedAPIKey
	// PreviousKeyExpiresAt is when the old key stops working, as the server
	// set it; nil: the old key keeps working until you delete or pause it.
	PreviousKeyExpiresAt *time.Time `json:"previous_key_expires_at"`
}

// APIKeyPage is one page of APIKeys.List.
type APIKeyPage struct {
	Keys []*APIKey
	// Limit and Offset are what the server applied (Limit 0 asks for the
	// default page of 100).
	Limit, Offset int
	// Total is the server's count of keys under the same filter
	// ("total_count"), or -1 when absent. It is a hint: a separate query
	// that can be stale, so paging never stops because of it (but a short
	// page is followed when Total says more keys lie beyond it).
	Total int

	opts   ListAPIKeysOptions
	served int
}

// ListAPIKeysOptions selects a page of API keys. The zero value asks for
// the server's default page of active, unblocked keys.
type ListAPIKeysOptions struct {
	// IncludeDisabled also lists paused, soft-blocked and deleted keys,
	// which the server hides otherwise.
	IncludeDisabled bool `url:"include_disabled,omitempty"`
	// WorkspaceID must be the credential's own workspace, if set.
	WorkspaceID string `url:"workspace_id,omitempty"`
	Limit       int    `url:"limit,omitempty"`
	Offset      int    `url:"offset,omitempty"`
}

// CreateAPIKeyParams are the fields of a new API key. Name is required.
type CreateAPIKeyParams struct {
	Name string
	// Limit is the USD spend limit per LimitReset window; nil: no limit.
	// It must be at least one nano-dollar ($0.000000001): the server
	// stores 0 as "no limit", so a zero Limit is a *ValidationError (to
	// create a key that cannot spend, set Disabled or SoftBlocked).
	Limit *float64
	// LimitReset is Limit's window. Empty with a Limit means monthly (the
	// SDK sends "monthly", the server's default); set without a Limit it
	// is a *ValidationError (the server would ignore it).
	LimitReset LimitReset
	// ExpiresAt is when the key stops working; nil or the zero time: never.
	ExpiresAt *time.Time
	// Disabled creates the key paused. A paused key is not listed unless
	// ListAPIKeysOptions.IncludeDisabled is set.
	Disabled    bool
	SoftBlocked bool
	WorkspaceID string // the credential's own workspace, if set
}

// UpdateAPIKeyParams changes an API key. Only the fields set are sent, and
// what is left out stays as it is on the server; at least one must be set.
type UpdateAPIKeyParams struct {
	Name        *string
	Disabled    *bool // true pauses the key, false reactivates it
	SoftBlocked *bool
	// ExpiresAt sets the expiry: Ptr(time.Time{}) removes it.
	ExpiresAt *time.Time
	// Limit and LimitReset set the USD spend limit and its window; they
	// go together, and either alone is a *ValidationError. (Sent alone,
	// the server resets the window to monthly, or moves whatever limit the
	// key has when the request arrives; with both, the result never
	// depends on that.) Setting them replaces the key's cost limits in
	// every window with this one. As on Create, Limit must be at least one
	// nano-dollar: Ptr(0.0) is a *ValidationError, not "no limit".
	Limit      *float64
	LimitReset *LimitReset
	// RemoveLimit removes the USD spend limit (every window; it sends
	// "limit": null). Setting it with Limit or LimitReset is a
	// *ValidationError.
	RemoveLimit bool
}

// RotateAPIKeyParams configures APIKeys.Rotate. The zero value (or nil)
// names the new key "<old name> (rotated)" and leaves the old key working.
type RotateAPIKeyParams struct {
	// Name names the new key; "" lets the server derive it.
	Name string
	// PreviousKeyExpiresAt gives the old key a grace period: it stops
	// working at this time. nil leaves the old key untouched.
	PreviousKeyExpiresAt *time.Time
}

func (c *CreatedAPIKey) setSecret(s Secret) { c.Secret = s }
