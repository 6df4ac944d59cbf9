package aistats

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// This file is the wire layer: the JSON shapes the servers send, and their
// conversion to the public types. Both API versions share it; what differs
// (which envelope, which fields) is chosen by the version files.

// errNoID is a key without an id: callers could neither address it nor
// tell it from another, so it is a decode error rather than a silent "".
var errNoID = errors.New(`no "id"`)

// keyTimes converts the four timestamps both kinds of key carry.
func keyTimes(c, u, l, e *wireTime) (created time.Time, updated, lastUsed, expires *time.Time, err error) {
	if created, err = c.required("created_at"); err != nil {
		return
	}
	if updated, err = u.optional("updated_at"); err != nil {
		return
	}
	if lastUsed, err = l.optional("last_used_at"); err != nil {
		return
	}
	expires, err = e.optional("expires_at")
	return
}

// wireKey is the union of every management-key shape the servers have sent
// (contract.md §2-3, contract-2026-07.md §5.1). A null or absent field
// leaves the zero value, as the API means. Its fields are declared here
// rather than embedded from a struct shared with wireAPIKey: encoding/json
// pays a reflection lookup per field of an embedded struct, per key.
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
	UpdatedAt   wireTime  `json:"updated_at"`
	LastUsedAt  wireTime  `json:"last_used_at"`
	ExpiresAt   wireTime  `json:"expires_at"`
	Plaintext   string    `json:"key"` // create answers only

	DailyRequests    *int64 `json:"daily_limit_requests"`
	WeeklyRequests   *int64 `json:"weekly_limit_requests"`
	MonthlyRequests  *int64 `json:"monthly_limit_requests"`
	DailyCostNanos   *int64 `json:"daily_limit_cost_nanos"`
	WeeklyCostNanos  *int64 `json:"weekly_limit_cost_nanos"`
	MonthlyCostNanos *int64 `json:"monthly_limit_cost_nanos"`
}

// decode converts a key from an API answer, which must name its id.
func (w *wireKey) decode(k *Key) error {
	if w.ID == "" {
		return errNoID
	}
	return w.toKey(k)
}

func (w *wireKey) toKey(k *Key) error {
	k.ID, k.Name, k.Prefix, k.Status, k.Scopes = w.ID, w.Name, w.Prefix, w.Status, w.Scopes
	// team_id first, as this client always read it; a server sends one.
	k.WorkspaceID = w.TeamID
	if k.WorkspaceID == "" {
		k.WorkspaceID = w.WorkspaceID
	}
	k.TeamID = k.WorkspaceID
	k.CreatedBy, k.SoftBlocked = w.CreatedBy, w.SoftBlocked
	if err := w.checkLimitFields(); err != nil {
		return err
	}
	k.Limits = Limits{
		Daily:   WindowLimit{Requests: w.DailyRequests, CostNanos: w.DailyCostNanos},
		Weekly:  WindowLimit{Requests: w.WeeklyRequests, CostNanos: w.WeeklyCostNanos},
		Monthly: WindowLimit{Requests: w.MonthlyRequests, CostNanos: w.MonthlyCostNanos},
	}
	var err error
	k.CreatedAt, k.UpdatedAt, k.LastUsedAt, k.ExpiresAt, err = keyTimes(&w.CreatedAt, &w.UpdatedAt, &w.LastUsedAt, &w.ExpiresAt)
	return err
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

// wireAPIKey is an inference API key as /v1/keys sends it
// (contract-2026-07.md §6.1), plus the usage and limit fields of newer
// servers (§9.2).
type wireAPIKey struct {
	ID            string     `json:"id"`
	Hash          string     `json:"hash"`
	WorkspaceID   string     `json:"workspace_id"`
	Name          string     `json:"name"`
	Prefix        string     `json:"prefix"`
	Status        KeyStatus  `json:"status"`
	Disabled      bool       `json:"disabled"`
	SoftBlocked   bool       `json:"soft_blocked"`
	Limit         *float64   `json:"limit"`
	LimitReset    LimitReset `json:"limit_reset"`
	CreatedBy     string     `json:"created_by"`
	CreatorUserID string     `json:"creator_user_id"`
	CreatedAt     wireTime   `json:"created_at"`
	UpdatedAt     wireTime   `json:"updated_at"`
	LastUsedAt    wireTime   `json:"last_used_at"`
	ExpiresAt     wireTime   `json:"expires_at"`
	Plaintext     string     `json:"key"` // create and rotate answers only

	LimitRemaining *float64                     `json:"limit_remaining"`
	Usage          *float64                     `json:"usage"`
	UsageDaily     *float64                     `json:"usage_daily"`
	UsageWeekly    *float64                     `json:"usage_weekly"`
	UsageMonthly   *float64                     `json:"usage_monthly"`
	Limits         map[string]wireWindow        `json:"limits"`
	UsageDetails   map[string]wireUsageDetailed `json:"usage_details"`
}

// wireWindow is one window of "limits": {requests, cost} with cost in USD.
type wireWindow struct {
	Requests *float64 `json:"requests"`
	Cost     *float64 `json:"cost"`
}

type wireUsageDetailed struct {
	Requests float64 `json:"requests"`
	Cost     float64 `json:"cost"`
}

// decode converts an API key from an API answer, which must name its id.
func (w *wireAPIKey) decode(k *APIKey) error {
	if w.ID == "" {
		return errNoID
	}
	return w.toAPIKey(k)
}

func (w *wireAPIKey) toAPIKey(k *APIKey) error {
	*k = APIKey{
		ID: w.ID, Hash: w.Hash, WorkspaceID: w.WorkspaceID, Name: w.Name, Prefix: w.Prefix,
		Status: w.Status, Disabled: w.Disabled, SoftBlocked: w.SoftBlocked,
		Limit: w.Limit, LimitReset: w.LimitReset, CreatedBy: w.CreatedBy,
		LimitRemaining: w.LimitRemaining,
	}
	if k.CreatedBy == "" {
		k.CreatedBy = w.CreatorUserID
	}
	var err error
	if k.CreatedAt, k.UpdatedAt, k.LastUsedAt, k.ExpiresAt, err = keyTimes(&w.CreatedAt, &w.UpdatedAt, &w.LastUsedAt, &w.ExpiresAt); err != nil {
		return err
	}
	for _, win := range [...]struct {
		dst  *WindowLimit
		name string
	}{{&k.Limits.Daily, "daily"}, {&k.Limits.Weekly, "weekly"}, {&k.Limits.Monthly, "monthly"}} {
		if *win.dst, err = w.Limits[win.name].limit(win.name); err != nil {
			return err
		}
	}
	k.Usage, err = w.usage()
	return err
}

func (w wireWindow) limit(name string) (WindowLimit, error) {
	var out WindowLimit
	if w.Requests != nil {
		n, ok := wholeCount(*w.Requests)
		if !ok {
			return out, errCount("limits", name, "requests", *w.Requests)
		}
		out.Requests = &n
	}
	if w.Cost != nil {
		n, ok := usdNanos(*w.Cost)
		if !ok {
			return out, errCount("limits", name, "cost", *w.Cost)
		}
		out.CostNanos = &n
	}
	return out, nil
}

// usage gathers the usage fields, nil when the server sent none.
func (w *wireAPIKey) usage() (*APIKeyUsage, error) {
	if w.Usage == nil && w.UsageDaily == nil && w.UsageWeekly == nil && w.UsageMonthly == nil && w.UsageDetails == nil {
		return nil, nil
	}
	u := &APIKeyUsage{}
	for _, win := range []struct {
		dst  *UsageWindow
		cost *float64
		name string
	}{{&u.Total, w.Usage, "total"}, {&u.Daily, w.UsageDaily, "daily"}, {&u.Weekly, w.UsageWeekly, "weekly"}, {&u.Monthly, w.UsageMonthly, "monthly"}} {
		if d, ok := w.UsageDetails[win.name]; ok {
			n, ok := wholeCount(d.Requests)
			if !ok {
				return nil, errCount("usage_details", win.name, "requests", d.Requests)
			}
			win.dst.Requests, win.dst.CostUSD = n, d.Cost
		}
		if win.cost != nil {
			win.dst.CostUSD = *win.cost
		}
	}
	return u, nil
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

// required is a timestamp the API always sends; absent or null is the zero time.
func (w *wireTime) required(field string) (time.Time, error) {
	t, _, err := w.value()
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", field, err)
	}
	return t, nil
}

// optional is a nullable timestamp; null is nil.
func (w *wireTime) optional(field string) (*time.Time, error) {
	t, ok, err := w.value()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	if !ok {
		return nil, nil
	}
	p := new(time.Time) // not &t: that would move t to the heap on every call, nulls included
	*p = t
	return p, nil
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
		// The value is not quoted: server text cut short could hold part of a credential.
		return nil, fmt.Errorf("want a timestamp string, got %s", jsonKind(raw))
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

// jsonKind names the type of a JSON value by its first byte.
func jsonKind(raw json.RawMessage) string {
	switch b := bytes.TrimSpace(raw); {
	case len(b) == 0:
		return "nothing"
	case b[0] == '{':
		return "an object"
	case b[0] == '[':
		return "an array"
	case b[0] == 't' || b[0] == 'f':
		return "a boolean"
	case b[0] == '"':
		return "an invalid string"
	}
	return "a number"
}

// wireTimeOut encodes a request timestamp: RFC 3339 in UTC with
// milliseconds, as the server's own Date.toISOString writes them.
func wireTimeOut(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}
