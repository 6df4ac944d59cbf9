package aistats

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/ai-stats/aistats-go/internal/jstext"
)

// march2026 is API version 2026-03: /v1/management/keys with {"ok": …}
// envelopes, as contract.md describes the server. Its rules are kept
// exactly as they were for users of deployments of that era.
type march2026 struct{}

func (march2026) version() APIVersion  { return APIVersionMarch2026 }
func (march2026) keysPath() string     { return "/management/keys" }
func (march2026) keyPath() string      { return "/management/keys/" + idParam }
func (march2026) defaultPageSize() int { return 50 }

func (march2026) checkListKeys(*ListKeysOptions) error { return nil }

func (march2026) apiKeys(method string) error {
	return fmt.Errorf("aistats: APIKeys.%s needs API version 2026-07 (this client speaks 2026-03, which had no API-key management): %w",
		method, errors.ErrUnsupported)
}

func (march2026) endpointHint() string {
	return "this server has no such endpoint for API version 2026-03: the hosted service retired /v1/management/keys " +
		"on 2026-04-29; a phaseo_v1_mk_ management key selects API version 2026-07"
}

// createKeyBodyMarch is the 2026-03 create body; the server stores scopes
// verbatim and coerces soft_blocked with Boolean().
type createKeyBodyMarch struct {
	Name        string    `json:"name"`
	Scopes      Scopes    `json:"scopes,omitempty"`
	Status      KeyStatus `json:"status,omitempty"`
	TeamID      string    `json:"team_id,omitempty"`
	SoftBlocked *bool     `json:"soft_blocked,omitempty"`
}

type updateKeyBodyMarch struct {
	Name        *string    `json:"name,omitempty"`
	Status      *KeyStatus `json:"status,omitempty"`
	SoftBlocked *bool      `json:"soft_blocked,omitempty"`
}

func (d march2026) createKeyBody(p *CreateKeyParams) (any, error) {
	if p == nil {
		return nil, errNilParams
	}
	if err := validateNameMarch(p.Name, "is required"); err != nil {
		return nil, err
	}
	if p.Template != "" {
		return nil, unsupportedOn(d.version(), "Template", "give Scopes")
	}
	if p.ExpiresAt != nil {
		return nil, unsupportedOn(d.version(), "ExpiresAt", "")
	}
	if p.Status != "" {
		if err := d.checkStatus(p.Status); err != nil {
			return nil, err
		}
	}
	return &createKeyBodyMarch{Name: p.Name, Scopes: p.Scopes, Status: p.Status, TeamID: p.TeamID, SoftBlocked: p.SoftBlocked}, nil
}

func (d march2026) updateKeyBody(p *UpdateKeyParams) (any, error) {
	if p == nil {
		return nil, errNilParams
	}
	switch {
	case p.Scopes != nil:
		return nil, unsupportedOn(d.version(), "Scopes", "scopes cannot change after creation")
	case p.Template != "":
		return nil, unsupportedOn(d.version(), "Template", "")
	case p.ExpiresAt != nil:
		return nil, unsupportedOn(d.version(), "ExpiresAt", "")
	case p.Name == nil && p.Status == nil && p.SoftBlocked == nil:
		return nil, errNothingToUpdate
	}
	if p.Name != nil {
		if err := validateNameMarch(*p.Name, "must not be empty when set"); err != nil {
			return nil, err
		}
	}
	if p.Status != nil {
		if err := d.checkStatus(*p.Status); err != nil {
			return nil, err
		}
	}
	return &updateKeyBodyMarch{Name: p.Name, Status: p.Status, SoftBlocked: p.SoftBlocked}, nil
}

func (d march2026) checkStatus(s KeyStatus) error {
	if s == KeyStatusPaused {
		return unsupportedOn(d.version(), "Status", `"paused" arrived with 2026-07; use disabled`)
	}
	if !s.Valid() {
		return &ValidationError{Field: "Status", Problem: fmt.Sprintf("%q is not one of active, disabled, revoked", s)}
	}
	return nil
}

// validateNameMarch mirrors the 2026-03 server's rule: trimmed, non-empty,
// at most MaxNameLength characters.
func validateNameMarch(name, emptyProblem string) error {
	if err := requireName("Name", name, emptyProblem); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(jstext.Trim(name)); n > MaxNameLength {
		return &ValidationError{Field: "Name", Problem: fmt.Sprintf("is %d characters; the limit is %d", n, MaxNameLength)}
	}
	return nil
}

// okListEnvelope is {ok, keys, limit, offset, total}. It also reads the
// {data: [...], total_count} shape, as this client always has.
type okListEnvelope struct {
	Keys       []wireKey `json:"keys"`
	Data       []wireKey `json:"data"`
	Limit      *int      `json:"limit"`
	Offset     *int      `json:"offset"`
	Total      *int      `json:"total"`
	TotalCount *int      `json:"total_count"`
}

func (d march2026) decodeKeyPage(b []byte, page *KeyPage) error {
	var env okListEnvelope
	if err := json.Unmarshal(b, &env); err != nil {
		return err
	}
	items := env.Keys
	if items == nil {
		items = env.Data
	}
	if items == nil && !hasField(b, "keys") && !hasField(b, "data") {
		return errors.New(`no "keys" or "data" array in the response`)
	}
	keys, err := convertAll(items, (*wireKey).decode)
	if err != nil {
		return err
	}
	page.Keys, page.served = keys, len(items)
	// Fall back to what was asked when the server does not echo it.
	page.Limit, page.Offset, page.Total = page.opts.Limit, page.opts.Offset, -1
	if page.Limit == 0 {
		page.Limit = d.defaultPageSize()
	}
	if env.Limit != nil {
		page.Limit = *env.Limit
	}
	if env.Offset != nil {
		page.Offset = *env.Offset
	}
	if env.Total != nil {
		page.Total, err = totalOf("total", env.Total)
	} else {
		page.Total, err = totalOf("total_count", env.TotalCount)
	}
	return err
}

// hasField reports whether a top-level JSON object has the given key, to
// tell an empty page ("keys": null) from a body of the wrong shape.
func hasField(b []byte, name string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return false
	}
	_, ok := m[name]
	return ok
}

// okKeyEnvelope is {ok, key: {...}}, or {data: {...}}.
type okKeyEnvelope struct {
	Key  *wireKey `json:"key"`
	Data *wireKey `json:"data"`
}

func (e *okKeyEnvelope) key() *wireKey {
	if e.Key != nil {
		return e.Key
	}
	return e.Data
}

var errNoKey = errors.New(`no "key" or "data" object in the response`)

func (march2026) decodeKey(b []byte) (*Key, error) {
	// One allocation for the envelope and the result.
	var out struct {
		key Key
		env okKeyEnvelope
	}
	if err := json.Unmarshal(b, &out.env); err != nil {
		return nil, err
	}
	w := out.env.key()
	if w == nil {
		return nil, errNoKey
	}
	err := w.decode(&out.key)
	out.env = okKeyEnvelope{} // the returned key must not keep the wire form alive
	if err != nil {
		return nil, err
	}
	return &out.key, nil
}

func (march2026) decodeCreatedKey(b []byte) (*CreatedKey, error) {
	return decodeMinted(b, func() (*CreatedKey, string, error) {
		var env okKeyEnvelope
		if err := json.Unmarshal(b, &env); err != nil {
			return nil, "", err
		}
		w := env.key()
		if w == nil {
			return nil, "", errNoKey
		}
		out := &CreatedKey{Secret: NewSecret(w.Plaintext)}
		if err := w.decode(&out.Key); err != nil {
			return nil, "", err
		}
		return out, w.Plaintext, nil
	}, salvageCreatedKey)
}

// decodeUpdatedKey: the 2026-03 server answers {ok, message} without the
// key; nil, nil tells Update to read it back. Should an answer carry the
// key, it is used.
func (march2026) decodeUpdatedKey(b []byte) (*Key, error) {
	var env okKeyEnvelope
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, err
	}
	w := env.key()
	if w == nil {
		return nil, nil
	}
	out := new(Key)
	if err := w.decode(out); err != nil {
		return nil, err
	}
	return out, nil
}

func salvageCreatedKey(plaintext, id string) *CreatedKey {
	return &CreatedKey{Key: Key{ID: id}, Secret: NewSecret(plaintext)}
}
