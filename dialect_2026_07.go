package aistats

import (
	"encoding/json"
	"fmt"
	"strings"
)

// july2026 is API version 2026-07 (contract-2026-07.md §1–§8): management
// keys on /v1/management-keys, API keys on /v1/keys, {"data": …}
// envelopes, capability scopes and templates. Everything this version
// changes for management keys is in this file; API keys exist only here
// and live in apikeys.go.
type july2026 struct{}

func (july2026) version() APIVersion  { return APIVersionJuly2026 }
func (july2026) keysPath() string     { return "/management-keys" }
func (july2026) keyPath() string      { return "/management-keys/" + idParam }
func (july2026) defaultPageSize() int { return 100 }

func (d july2026) checkListKeys(o *ListKeysOptions) error {
	if o.TeamID != "" {
		return unsupportedOn(d.version(), "TeamID", "the workspace is the credential's own")
	}
	return nil
}

func (july2026) apiKeys(string) error { return nil }

// endpointHint does not suggest API version 2026-03: the hosted service
// removed those routes on 2026-04-29, so switching would fail every call.
func (july2026) endpointHint() string {
	return "this server has no such endpoint for API version 2026-07: check the base URL (the hosted API is " +
		DefaultBaseURL + "); a self-hosted server may be too old for this endpoint"
}

// createKeyBodyJuly is the M2 body (§5.3). The server ignores status,
// soft_blocked and workspace fields on create, so the SDK never sends them.
type createKeyBodyJuly struct {
	Name      string      `json:"name"`
	Scopes    Scopes      `json:"scopes,omitempty"`
	Template  KeyTemplate `json:"template,omitempty"`
	Paused    bool        `json:"paused,omitempty"`
	ExpiresAt *string     `json:"expires_at,omitempty"`
}

// updateKeyBodyJuly is the M4 body (§5.5): the server reads camelCase
// softBlocked only, and ignores "expires_at": null (null ?? undefined), so
// the expiry travels as expiresAt, where null clears it.
type updateKeyBodyJuly struct {
	Name        *string      `json:"name,omitempty"`
	Paused      *bool        `json:"paused,omitempty"`
	SoftBlocked *bool        `json:"softBlocked,omitempty"`
	Scopes      Scopes       `json:"scopes,omitempty"`
	Template    KeyTemplate  `json:"template,omitempty"`
	ExpiresAt   nullableTime `json:"expiresAt,omitzero"`
}

func (d july2026) createKeyBody(p *CreateKeyParams) (any, error) {
	if p == nil {
		return nil, errNilParams
	}
	if err := requireName("Name", p.Name, "is required"); err != nil {
		return nil, err
	}
	if p.Scopes == nil && p.Template == "" {
		return nil, &ValidationError{Field: "Scopes", Problem: "or Template is required on API version 2026-07 (e.g. Template: KeyTemplateReadOnly)"}
	}
	if err := checkCapabilities(p.Scopes, p.Template); err != nil {
		return nil, err
	}
	if p.SoftBlocked != nil {
		return nil, &ValidationError{Field: "SoftBlocked", Problem: "cannot be set on create with API version 2026-07 (the server ignores it); set it with Update"}
	}
	if p.TeamID != "" {
		return nil, unsupportedOn(d.version(), "TeamID", "the workspace is the credential's own")
	}
	paused, err := d.paused(p.Status, true)
	if err != nil {
		return nil, err
	}
	body := &createKeyBodyJuly{Name: p.Name, Scopes: p.Scopes, Template: p.Template, Paused: paused != nil && *paused}
	if p.ExpiresAt != nil {
		body.ExpiresAt = timeOrNull(*p.ExpiresAt)
	}
	return body, nil
}

func (d july2026) updateKeyBody(p *UpdateKeyParams) (any, error) {
	if p == nil {
		return nil, errNilParams
	}
	if p.Name == nil && p.Status == nil && p.SoftBlocked == nil && p.Scopes == nil && p.Template == "" && p.ExpiresAt == nil {
		return nil, errNothingToUpdate
	}
	if p.Name != nil {
		if err := requireName("Name", *p.Name, "must not be empty when set"); err != nil {
			return nil, err
		}
	}
	if p.Scopes != nil || p.Template != "" {
		if err := checkCapabilities(p.Scopes, p.Template); err != nil {
			return nil, err
		}
	}
	body := &updateKeyBodyJuly{Name: p.Name, SoftBlocked: p.SoftBlocked, Scopes: p.Scopes, Template: p.Template}
	if p.Status != nil {
		var err error
		if body.Paused, err = d.paused(*p.Status, false); err != nil {
			return nil, err
		}
	}
	if p.ExpiresAt != nil {
		body.ExpiresAt = nullableTime{set: true, value: timeOrNull(*p.ExpiresAt)}
	}
	return body, nil
}

// paused maps a status to the server's paused flag: active or paused
// (and, on create, "" for the default).
func (d july2026) paused(s KeyStatus, emptyOK bool) (*bool, error) {
	switch {
	case s == KeyStatusActive:
		return Ptr(false), nil
	case s == KeyStatusPaused:
		return Ptr(true), nil
	case s == "" && emptyOK:
		return nil, nil
	case s == KeyStatusDisabled || s == KeyStatusRevoked:
		return nil, &ValidationError{Field: "Status", Problem: fmt.Sprintf("%q is not supported by API version 2026-07; use %q", s, KeyStatusPaused)}
	}
	return nil, &ValidationError{Field: "Status", Problem: fmt.Sprintf("%q is not active or paused", s)}
}

// checkCapabilities applies the server's rules for scopes and templates
// that do not need its capability list: exactly one of the two, a known
// template, and a non-empty list of single names. Capability names are not
// checked here: the server's set grows.
func checkCapabilities(scopes Scopes, tmpl KeyTemplate) error {
	switch {
	case scopes != nil && tmpl != "":
		return &ValidationError{Field: "Scopes", Problem: "and Template are both set; give one"}
	case tmpl != "" && !tmpl.known():
		return &ValidationError{Field: "Template", Problem: fmt.Sprintf("%q is not one of %s, %s, %s",
			tmpl, KeyTemplateReadOnly, KeyTemplateReadWrite, KeyTemplateFullControl)}
	case scopes != nil && len(scopes) == 0:
		return &ValidationError{Field: "Scopes", Problem: "is empty; name at least one capability, e.g. keys:read"}
	}
	for i, s := range scopes {
		if s == "" || strings.ContainsAny(s, ", \t\r\n") {
			return &ValidationError{Field: fmt.Sprintf("Scopes[%d]", i), Problem: fmt.Sprintf("%q is not one capability name", s)}
		}
	}
	return nil
}

func (d july2026) decodeKeyPage(b []byte, page *KeyPage) error {
	items, total, err := decodeDataList[wireKey](b)
	if err != nil {
		return err
	}
	if page.Keys, err = convertAll(items, (*wireKey).decode); err != nil {
		return err
	}
	// The server echoes neither limit nor offset: report what it applied.
	page.served, page.Total = len(items), total
	page.Limit, page.Offset = page.opts.Limit, page.opts.Offset
	if page.Limit == 0 {
		page.Limit = d.defaultPageSize()
	}
	return nil
}

func (july2026) decodeKey(b []byte) (*Key, error) {
	w, err := decodeDataObject[wireKey](b)
	if err != nil {
		return nil, err
	}
	out := new(Key)
	if err := w.decode(out); err != nil {
		return nil, err
	}
	return out, nil
}

func (d july2026) decodeUpdatedKey(b []byte) (*Key, error) { return d.decodeKey(b) }

func (july2026) decodeCreatedKey(b []byte) (*CreatedKey, error) {
	return decodeMinted(b, func() (*CreatedKey, string, error) {
		w, err := decodeDataObject[wireKey](b)
		if err != nil {
			return nil, "", err
		}
		out := &CreatedKey{Secret: NewSecret(w.Plaintext)}
		if err := w.decode(&out.Key); err != nil {
			return nil, "", err
		}
		return out, w.Plaintext, nil
	}, salvageCreatedKey)
}

// nullable is a request field with three states: absent (the zero value,
// left out by omitzero), null (set with a nil value), or a value.
type nullable[T any] struct {
	set   bool
	value *T
}

func (n nullable[T]) IsZero() bool { return !n.set }

func (n nullable[T]) MarshalJSON() ([]byte, error) { return json.Marshal(n.value) }

// nullableTime is a request timestamp: absent, null, or a time.
type nullableTime = nullable[string]
