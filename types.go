package aistats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// KeyStatus is the lifecycle state of a key. The set is open: the dashboard writes
// "paused" and newer API generations add more, so unknown values decode as-is.
type KeyStatus string

// Documented statuses. Only these three are accepted by Create and Update.
const (
	KeyStatusActive   KeyStatus = "active"
	KeyStatusDisabled KeyStatus = "disabled"
	KeyStatusRevoked  KeyStatus = "revoked"
)

// Valid reports whether s is one of the statuses the API accepts on writes.
func (s KeyStatus) Valid() bool {
	return s == KeyStatusActive || s == KeyStatusDisabled || s == KeyStatusRevoked
}

// Key is a management API key as the API describes it. It never holds the
// plaintext; see [CreatedKey].
type Key struct {
	ID     string    `json:"id"`
	Name   string    `json:"name"`
	Prefix string    `json:"prefix"` // first 6 characters of the key id, safe to show
	Status KeyStatus `json:"status"`
	Scopes Scopes    `json:"scopes"`
	// TeamID is filled from "team_id" or, on newer servers, "workspace_id".
	// List responses omit it; Get fills it.
	TeamID      string     `json:"team_id,omitempty"`
	CreatedBy   string     `json:"created_by,omitempty"`
	SoftBlocked bool       `json:"soft_blocked"`
	CreatedAt   time.Time  `json:"created_at"`
	LastUsedAt  *time.Time `json:"last_used_at"`
}

// wireKey is the union of every key shape the server has sent (see
// contract.md §2-3). A null or absent created_by or soft_blocked leaves the
// zero value, as the API means.
type wireKey struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Prefix      string    `json:"prefix"`
	Status      KeyStatus `json:"status"`
	Scopes      Scopes    `json:"scopes"`
	TeamID      string    `json:"team_id"`
	WorkspaceID string    `json:"workspace_id"`
	CreatedBy   string    `json:"created_by"`
	SoftBlocked bool      `json:"soft_blocked"`
	CreatedAt   wireTime  `json:"created_at"`
	LastUsedAt  wireTime  `json:"last_used_at"`
	Plaintext   string    `json:"key"` // only in the create response
}

func (w *wireKey) toKey(k *Key) error {
	k.ID, k.Name, k.Prefix, k.Status, k.Scopes = w.ID, w.Name, w.Prefix, w.Status, w.Scopes
	k.TeamID = w.TeamID
	if k.TeamID == "" {
		k.TeamID = w.WorkspaceID
	}
	k.CreatedBy, k.SoftBlocked = w.CreatedBy, w.SoftBlocked
	t, ok, err := w.CreatedAt.value()
	if err != nil {
		return fmt.Errorf("created_at: %w", err)
	}
	if ok {
		k.CreatedAt = t
	}
	lastUsed, ok, err := w.LastUsedAt.value()
	if err != nil {
		return fmt.Errorf("last_used_at: %w", err)
	}
	k.LastUsedAt = nil
	if ok {
		v := lastUsed // only this copy escapes, so a null costs nothing
		k.LastUsedAt = &v
	}
	return nil
}

// wireTime decodes a timestamp where it stands. The RFC 3339 form that
// PostgREST sends is parsed without allocating; any other value is kept raw
// for parseTime's lenient layouts and its error messages.
type wireTime struct {
	t   time.Time
	ok  bool            // t holds the value
	raw json.RawMessage // set when the fast path did not apply
}

func (w *wireTime) UnmarshalJSON(b []byte) error {
	*w = wireTime{raw: w.raw[:0]} // a repeated field replaces the earlier one
	if string(b) == "null" {
		return nil
	}
	if w.t.UnmarshalJSON(b) == nil {
		w.t, w.ok = w.t.UTC(), true
		return nil
	}
	w.raw = append(w.raw, b...)
	return nil
}

// value returns the timestamp and whether there is one.
func (w *wireTime) value() (time.Time, bool, error) {
	if w.ok {
		return w.t, true, nil
	}
	t, err := parseTime(w.raw)
	if err != nil || t == nil {
		return time.Time{}, false, err
	}
	return *t, true, nil
}

// UnmarshalJSON accepts every key shape the API has used: "team_id" or
// "workspace_id", timestamps with "Z" or "+00:00", scopes in any form.
func (k *Key) UnmarshalJSON(b []byte) error {
	var w wireKey
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	return w.toKey(k)
}

// timeLayouts are tried in order; PostgREST emits RFC 3339 with a numeric
// offset, but a space separator or a short "+00" offset also occur in Postgres text.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999Z07",
}

func parseTime(raw json.RawMessage) (*time.Time, error) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("want a timestamp string, got %.40s", raw)
	}
	if s == "" {
		return nil, nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC() // "+00:00" and "Z" give equal, comparable values
			return &t, nil
		}
	}
	return nil, fmt.Errorf("unrecognised timestamp %q", s)
}

// CreatedKey is the answer to Create: the key plus its plaintext, which the
// API returns exactly once.
type CreatedKey struct {
	Key
	// Secret is the one-time plaintext. It prints and marshals redacted;
	// call Secret.Reveal to read it.
	Secret Secret `json:"secret"`
}

// UnmarshalJSON is needed because Key's method would otherwise be promoted
// and silently drop the plaintext.
func (c *CreatedKey) UnmarshalJSON(b []byte) error {
	var w wireKey
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := w.toKey(&c.Key); err != nil {
		return err
	}
	c.Secret = NewSecret(w.Plaintext)
	return nil
}

// KeyPage is one page of a List call.
type KeyPage struct {
	Keys []*Key
	// Limit and Offset are the values the server applied (it clamps Limit to
	// MaxPageSize and defaults it to 50).
	Limit, Offset int
	// Total is the server's count of all keys. It comes from a separate query
	// that can fail silently to 0, so do not rely on it to stop paging.
	Total int

	opts   ListKeysOptions // the options that produced this page, for NextOptions
	served int             // keys the server sent, before Pages dropped repeats
}

// ListKeysOptions selects a page of keys. The zero value asks for the
// server's default page (50 keys) from the start.
type ListKeysOptions struct {
	// TeamID must equal the caller's team unless the caller is internal.
	TeamID string `url:"team_id,omitempty"`
	// Limit is the page size; 0 means the server default, values above
	// MaxPageSize are clamped by the server.
	Limit  int `url:"limit,omitempty"`
	Offset int `url:"offset,omitempty"`
}

// CreateKeyParams are the fields of a new key. Name is required.
type CreateKeyParams struct {
	Name   string    `json:"name"`
	Scopes Scopes    `json:"scopes,omitempty"`
	Status KeyStatus `json:"status,omitempty"`
	TeamID string    `json:"team_id,omitempty"`
	// SoftBlocked is a pointer so that false can be sent explicitly.
	SoftBlocked *bool `json:"soft_blocked,omitempty"`
}

// UpdateKeyParams changes a key. Only non-nil fields are sent, so
// SoftBlocked: Ptr(false) sends false and a nil Name leaves the name alone.
// Scopes cannot be changed after creation.
type UpdateKeyParams struct {
	Name        *string    `json:"name,omitempty"`
	Status      *KeyStatus `json:"status,omitempty"`
	SoftBlocked *bool      `json:"soft_blocked,omitempty"`
}

// Ptr returns a pointer to v, for the optional fields of UpdateKeyParams.
func Ptr[T any](v T) *T { return &v }

// MaxNameLength is the longest key name the server accepts.
const MaxNameLength = 100

func (p *CreateKeyParams) validate() error {
	if p == nil {
		return &ValidationError{Field: "params", Problem: "must not be nil"}
	}
	if err := validateName(p.Name, "is required"); err != nil {
		return err
	}
	if p.Status != "" && !p.Status.Valid() {
		return &ValidationError{Field: "Status", Problem: fmt.Sprintf("%q is not one of active, disabled, revoked", p.Status)}
	}
	return nil
}

func (p *UpdateKeyParams) validate() error {
	if p == nil {
		return &ValidationError{Field: "params", Problem: "must not be nil"}
	}
	if p.Name != nil {
		if err := validateName(*p.Name, "must not be empty when set"); err != nil {
			return err
		}
	}
	if p.Status != nil && !p.Status.Valid() {
		return &ValidationError{Field: "Status", Problem: fmt.Sprintf("%q is not one of active, disabled, revoked", *p.Status)}
	}
	return nil
}

// validateName mirrors the server's rule: trimmed, non-empty, at most
// MaxNameLength characters.
func validateName(name, emptyProblem string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return &ValidationError{Field: "Name", Problem: emptyProblem}
	}
	if n := utf8.RuneCountInString(name); n > MaxNameLength {
		return &ValidationError{Field: "Name", Problem: fmt.Sprintf("is %d characters; the limit is %d", n, MaxNameLength)}
	}
	return nil
}
