package aistatstest

import (
	"net/http"
	"strings"
	"time"

	"github.com/ai-stats/aistats-go"
)

// /v1/keys (K1-K5, contract §6): inference API keys in the caller's
// workspace, managed with a management key; deletes leave tombstones.

const (
	msgAPIKeyNotFound = "API key not found"
	msgNoAPIKeyScopes = "API key scopes are not supported. Use guardrails, workspace settings, " +
		"and related policy controls instead."
)

func (s *Server) listAPIKeys(c *call) reply {
	if rep, ok := c.require(capKeysRead); !ok {
		return rep
	}
	q := c.r.URL.Query()
	if rep, ok := c.checkWorkspace(q.Get("workspace_id")); !ok {
		return rep
	}
	all := parseBooleanFlag(q.Get("include_disabled"))
	limit, offset := parseLimit(q.Get("limit"), defaultPageSizeJuly), parseOffset(q.Get("offset"))

	s.mu.Lock()
	defer s.mu.Unlock()
	rows := s.sortedAPIKeysLocked(c.p.workspace, all)
	total := len(rows) // the count has the same filter
	if c.mods.zeroTotal {
		total = 0
	}
	page := pageOf(rows, c.listFrom(offset), limit)
	keys := make([]*aistats.APIKey, len(page))
	for i, k := range page {
		keys[i] = k.publicKey()
	}
	return reply{status: http.StatusOK, noStore: true, body: apiKeyListBodyOf(keys, total)}
}

// parseBooleanFlag: true only for 1, true, yes and on, trimmed, any case.
func parseBooleanFlag(raw string) bool {
	switch strings.ToLower(jsTrim(raw)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// checkWorkspace allows an absent or blank workspace_id, or the caller's.
func (c *call) checkWorkspace(requested string) (reply, bool) {
	if r := jsTrim(requested); r != "" && r != c.p.workspace {
		return replyWorkspaceBad, false
	}
	return reply{}, true
}

// apiKeyBody is the /keys routes' body parsing: only a syntax error is
// caught (400). JSON null makes the next property read throw, which
// nothing catches (null is reported as such); other non-objects have no
// fields.
func apiKeyBody(raw []byte) (body map[string]any, null bool, rep reply, ok bool) {
	v, err := parseJSONBody(raw)
	if err != nil {
		return nil, false, replyInvalidJSON, false
	}
	body, _ = v.(map[string]any)
	return body, v == nil, reply{}, true
}

func (s *Server) createAPIKey(c *call) reply {
	body, null, rep, ok := apiKeyBody(c.raw) // parsed before the scope check
	if !ok {
		return rep
	}
	if rep, ok := c.require(capKeysWrite); !ok {
		return rep
	}
	if null {
		return replyUncaught
	}
	workspace, isString := body["workspace_id"].(string)
	if !isString {
		workspace = c.r.URL.Query().Get("workspace_id")
	}
	if rep, ok := c.checkWorkspace(workspace); !ok {
		return rep
	}
	name := jsTrim(stringOrEmpty(body["name"]))
	if name == "" {
		return badRequest("name is required")
	}
	if _, ok := body["scopes"]; ok {
		return badRequest(msgNoAPIKeyScopes)
	}
	limit, reset, rep, ok := parseLimitFields(body)
	if !ok {
		return rep
	}
	expires, rep, ok := parseAPIKeyExpiry(body)
	if !ok {
		return rep
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keyLimitReachedLocked(c.p.workspace) {
		return internalError()
	}
	k, plaintext := s.newAPIKeyLocked(newUUID(), c.p.workspace, name, time.Time{})
	if body["disabled"] == true {
		k.status = string(aistats.KeyStatusPaused)
	}
	k.softBlocked = jsTruthy(body["soft_blocked"]) // Boolean(): "false" is true
	k.expiresAt = dbTimePtr(expires.t)
	if !k.applyLimit(limit, reset) { // reset without a limit does nothing here
		return internalError()
	}
	s.insertAPIKeyLocked(k)
	return reply{status: http.StatusCreated, noStore: true, body: createdAPIKeyBody(k.publicKey(), plaintext)}
}

// parseLimitFields validates limit, then limit_reset, each a 400.
func parseLimitFields(body map[string]any) (optionalUSD, aistats.LimitReset, reply, bool) {
	limit, msg := parseUSDLimit(body)
	if msg != "" {
		return limit, "", badRequest(msg), false
	}
	reset, msg := parseLimitReset(body)
	if msg != "" {
		return limit, "", badRequest(msg), false
	}
	return limit, reset, reply{}, true
}

// parseAPIKeyExpiry validates expires_at (null and "" clear it).
func parseAPIKeyExpiry(body map[string]any) (optionalTime, reply, bool) {
	expires, ok := parseExpiry(field(body, "expires_at"))
	if !ok {
		return expires, badRequest(msgBadExpiry), false
	}
	return expires, reply{}, true
}

func (s *Server) getAPIKey(c *call) reply {
	return s.withAPIKey(c, capKeysRead, func(k *storedAPIKey) reply {
		return reply{status: http.StatusOK, noStore: true, body: apiKeyGetBody(k.publicKey())} // tombstones too
	})
}

func (s *Server) deleteAPIKey(c *call) reply {
	return s.withAPIKey(c, capKeysDelete, func(k *storedAPIKey) reply {
		if k.isDeleted() {
			return replyDeleted // a repeat by id; the original hash no longer finds it
		}
		now := s.jsNow()
		k.status, k.expiresAt, k.softBlocked = string(aistats.KeyStatusDeleted), &now, true
		k.hash = "deleted:" + k.id
		return replyDeleted
	})
}

func (k *storedAPIKey) isDeleted() bool {
	return strings.ToLower(k.status) == string(aistats.KeyStatusDeleted)
}

func (s *Server) updateAPIKey(c *call) reply {
	id, rep, ok := c.requireID(capKeysWrite, apiKeyID)
	if !ok {
		return rep
	}
	body, null, rep, ok := apiKeyBody(c.raw)
	if !ok {
		return rep
	}
	if null {
		return replyUncaught
	}
	expires, rep, ok := parseAPIKeyExpiry(body) // unlike create, the date comes first
	if !ok {
		return rep
	}
	limit, reset, rep, ok := parseLimitFields(body)
	if !ok {
		return rep
	}
	if _, ok := body["scopes"]; ok {
		return badRequest(msgNoAPIKeyScopes)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	k, rep, ok := s.foundAPIKeyLocked(c.p.workspace, id)
	if !ok {
		return rep
	}
	next := *k // the update is one statement: all of it or none
	if name, ok := body["name"].(string); ok {
		if next.name = jsTrim(name); next.name == "" {
			return badRequest("name cannot be empty")
		}
	}
	if disabled, ok := body["disabled"].(bool); ok {
		next.status = string(aistats.KeyStatusActive)
		if disabled {
			next.status = string(aistats.KeyStatusPaused)
		}
	}
	if softBlocked, ok := body["soft_blocked"].(bool); ok {
		next.softBlocked = softBlocked
	}
	if expires.set {
		next.expiresAt = dbTimePtr(expires.t) // null clears here
	}
	if !limit.set && reset != "" { // limit_reset alone moves the current limit
		current, _ := k.limit()
		limit = optionalUSD{set: true, null: current == nil}
		if current != nil {
			limit.usd = *current
		}
	}
	if !next.applyLimit(limit, reset) {
		return internalError()
	}
	*k = next // a tombstone can be updated; its hash stays deleted:<id>
	return reply{status: http.StatusOK, noStore: true, body: apiKeyGetBody(k.publicKey())}
}

// withAPIKey runs fn on the key named by the path, under the lock, after
// the checks of K3 and K5: capability, an id, a key of the workspace.
func (s *Server) withAPIKey(c *call, capability string, fn func(*storedAPIKey) reply) reply {
	return withRow(s, c, capability, apiKeyID, func(id string) (*storedAPIKey, reply, bool) {
		return s.foundAPIKeyLocked(c.p.workspace, id)
	}, fn)
}

// apiKeyID is the /keys parsePathId: "keys", "key" and "invalidate" are
// not ids (checked before decoding).
func apiKeyID(c *call) (string, reply, bool) {
	return pathID(c.id, "Key id is required", "keys", "key", "invalidate")
}

// foundAPIKeyLocked is findAPIKeyLocked with the routes' 404.
func (s *Server) foundAPIKeyLocked(workspace, id string) (*storedAPIKey, reply, bool) {
	if k := s.findAPIKeyLocked(workspace, id); k != nil {
		return k, reply{}, true
	}
	return nil, notFound(msgAPIKeyNotFound), false
}

// findAPIKeyLocked looks an id up by id when it is a dashed UUID, else by
// hash, so arbitrary strings are 404s rather than database errors.
func (s *Server) findAPIKeyLocked(workspace, id string) *storedAPIKey {
	visible := func(k *storedAPIKey) bool {
		return k != nil && k.workspaceID == workspace && k.name != chatManagedKeyName
	}
	if isLookupUUID(id) {
		if k := s.apiKeys[strings.ToLower(id)]; visible(k) {
			return k
		}
		return nil
	}
	for _, k := range s.apiKeys {
		if k.hash == id && visible(k) {
			return k
		}
	}
	return nil
}
