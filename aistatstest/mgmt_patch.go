package aistatstest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/ai-stats/aistats-go"
)

// PATCH /v1/management-keys/{id} (M4, contract §5.5). The server builds a
// patch object from the few fields it knows and hands it to PostgREST, so
// some fields are typed and others are written raw for the database to
// accept or reject.

// managementKeyPatch is that patch object. A raw value is written as the
// client sent it.
type managementKeyPatch struct {
	name, status *string
	scopes       []string // nil: unchanged
	expiresSet   bool     // expires_at or expiresAt was present
	expires      optionalTime
	softBlocked  rawValue
	limits       [limitColumns]rawValue
}

type rawValue struct {
	v   any
	set bool
}

func (p *managementKeyPatch) empty() bool {
	if p.name != nil || p.status != nil || p.scopes != nil || p.expiresSet || p.softBlocked.set {
		return false
	}
	for _, l := range p.limits {
		if l.set {
			return false
		}
	}
	return true
}

func (s *Server) updateManagementKey(c *call) reply {
	id, rep, ok := c.requireID(capManagementKeysWrite, managementKeyID)
	if !ok {
		return rep
	}
	body, rep, ok := requireJSONObject(c.raw)
	if !ok {
		return rep
	}
	p, rep, ok := buildManagementKeyPatch(body)
	if !ok {
		return rep
	}
	if p.scopes != nil {
		if rep, ok := c.checkGrant(p.scopes); !ok {
			return rep
		}
	}
	if p.empty() {
		return badRequest("No supported management key fields were provided")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := canonicalUUID(id); !ok {
		return internalError()
	}
	softBlocked, limits, ok := p.columns()
	if !ok {
		return internalError() // the database rejects the raw value
	}
	k, rep, ok := s.findManagementKeyLocked(c, id)
	if !ok {
		return rep
	}
	s.applyManagementKeyPatch(k, &p, softBlocked, limits)
	return reply{status: http.StatusOK, noStore: true, body: managementKeyGetBody(k.publicKey(s.version))}
}

// buildManagementKeyPatch reads the body in the server's order; only the
// scope rules answer 400, and an invalid date is thrown (500) at HEAD.
func buildManagementKeyPatch(body map[string]any) (managementKeyPatch, reply, bool) {
	var p managementKeyPatch
	for i, name := range limitFields {
		p.limits[i].v, p.limits[i].set = field(body, name)
	}
	p.softBlocked.v, p.softBlocked.set = field(body, "softBlocked") // camelCase only
	if name, ok := body["name"].(string); ok {
		name = jsTrim(name) // "" is stored: HEAD has no non-empty check here
		p.name = &name
	}
	if paused, ok := body["paused"].(bool); ok {
		status := string(aistats.KeyStatusActive)
		if paused {
			status = string(aistats.KeyStatusPaused)
		}
		p.status = &status
	}
	_, hasScopes := body["scopes"]
	_, hasTemplate := body["template"]
	if hasScopes || hasTemplate {
		if hasScopes && body["scopes"] == nil {
			return p, badRequest("scopes must be omitted to keep existing scopes or provided as a string or string[]"), false
		}
		scopes, msg := resolveManagementScopes(body)
		if msg != "" {
			return p, badRequest(msg), false
		}
		p.scopes = scopes
	}
	_, hasSnake := body["expires_at"]
	_, hasCamel := body["expiresAt"]
	if hasSnake || hasCamel {
		// {"expires_at": null} is `null ?? undefined`: undefined, which
		// PostgREST leaves out, so the expiry is kept.
		expires, ok := parseExpiry(nullish(body, "expires_at", "expiresAt"))
		if !ok {
			return p, internalError(), false
		}
		p.expiresSet, p.expires = true, expires
	}
	return p, reply{}, true
}

// columns converts the raw values the way Postgres reads them into a
// boolean and bigint columns; ok is false when it would refuse one.
func (p *managementKeyPatch) columns() (softBlocked bool, limits [limitColumns]*int64, ok bool) {
	if p.softBlocked.set {
		if softBlocked, ok = pgBool(p.softBlocked.v); !ok {
			return false, limits, false
		}
	}
	for i, l := range p.limits {
		if l.set {
			if limits[i], ok = pgBigint(l.v); !ok {
				return false, limits, false
			}
		}
	}
	return softBlocked, limits, true
}

func (s *Server) applyManagementKeyPatch(k *storedKey, p *managementKeyPatch, softBlocked bool, limits [limitColumns]*int64) {
	if p.name != nil {
		k.name = *p.name
	}
	if p.status != nil {
		k.status = *p.status
	}
	if p.scopes != nil {
		k.scopes = serializeScopeList(p.scopes)
	}
	if p.expires.set {
		k.expiresAt = dbTimePtr(p.expires.t)
	}
	if p.softBlocked.set {
		k.softBlocked = softBlocked
	}
	changed := p.name != nil || p.status != nil || p.scopes != nil || p.expires.set || p.softBlocked.set
	for i, l := range p.limits {
		if l.set {
			k.limits[i], changed = limits[i], true
		}
	}
	if changed { // an update that only held an undefined expiry wrote nothing
		now := dbTime(s.clock())
		k.updatedAt = &now
	}
}

// pgBool is what Postgres makes of a JSON value written to a boolean
// column: true and false, or text it reads as one ("yes", "0", …).
func pgBool(v any) (bool, bool) {
	var text string
	switch v := v.(type) {
	case bool:
		return v, true
	case string:
		text = v
	case json.Number:
		text = formatJSNumber(jsNumberValue(v))
	default:
		return false, false // null (NOT NULL), arrays, objects
	}
	switch strings.ToLower(strings.TrimSpace(text)) {
	case "t", "true", "y", "yes", "on", "1":
		return true, true
	case "f", "false", "n", "no", "off", "0":
		return false, true
	}
	return false, false
}

// pgBigint is what Postgres makes of a JSON value written to a bigint
// column: null, an integer (JavaScript re-serialises 5.0 as 5), or text
// holding one.
func pgBigint(v any) (*int64, bool) {
	var text string
	switch v := v.(type) {
	case nil:
		return nil, true
	case json.Number:
		text = formatJSNumber(jsNumberValue(v))
	case string:
		text = strings.TrimSpace(v)
	default:
		return nil, false
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return nil, false
	}
	return &n, true
}
