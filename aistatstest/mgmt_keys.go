package aistatstest

import (
	"net/http"
	"net/url"
	"slices"
	"unicode/utf8"

	"github.com/ai-stats/aistats-go"
)

// /v1/management-keys (M1-M5, contract §5): management keys in the
// caller's workspace, hard deletes.

const msgManagementKeyNotFound = "Management key not found"

func (s *Server) listManagementKeys(c *call) reply {
	if rep, ok := c.require(capManagementKeysRead); !ok {
		return rep
	}
	q := c.r.URL.Query()
	limit, offset := parseLimit(q.Get("limit"), defaultPageSizeJuly), parseOffset(q.Get("offset"))
	s.mu.Lock()
	defer s.mu.Unlock()
	page := pageOf(s.sortedLocked(c.p.workspace), c.listFrom(offset), limit)
	keys := make([]*aistats.Key, len(page))
	for i, k := range page {
		keys[i] = k.publicKey(s.version)
	}
	return reply{status: http.StatusOK, noStore: true, body: managementKeyListBody(keys)}
}

func (s *Server) createManagementKey(c *call) reply {
	if rep, ok := c.require(capManagementKeysWrite); !ok {
		return rep
	}
	body, rep, ok := requireJSONObject(c.raw)
	if !ok {
		return rep
	}
	name := jsTrim(stringOrEmpty(body["name"]))
	if name == "" {
		return badRequest("name is required")
	}
	scopes, msg := resolveManagementScopes(body)
	if msg != "" {
		return badRequest(msg)
	}
	if rep, ok := c.checkGrant(scopes); !ok {
		return rep
	}
	expires, ok := parseExpiry(nullish(body, "expires_at", "expiresAt"))
	if !ok {
		return internalError() // thrown inside the handler's try at HEAD
	}
	status := aistats.KeyStatusActive
	if body["paused"] == true {
		status = aistats.KeyStatusPaused
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keyLimitReachedLocked(c.p.workspace) {
		return internalError()
	}
	m := s.mintLocked("POST /v1/management-keys", KeySpec{
		Name: name, Status: status, Scopes: serializeScopeList(scopes), WorkspaceID: c.p.workspace,
		ExpiresAt: expires.t,
	})
	m.createdBy = "" // null: a management key, not a user, made it
	return reply{status: http.StatusCreated, noStore: true, body: createdManagementKeyBody(m.publicKey(s.version), m.plaintext)}
}

// stringOrEmpty is String(v ?? "").
func stringOrEmpty(v any) string {
	if v == nil {
		return ""
	}
	return jsString(v)
}

// resolveManagementScopes is resolveManagementKeyScopes: exactly one of
// template and scopes, expanded and validated. It returns the 400 message
// on failure.
func resolveManagementScopes(body map[string]any) ([]string, string) {
	template, hasTemplate := body["template"]
	scopes, hasScopes := body["scopes"]
	switch {
	case hasTemplate && hasScopes:
		return nil, "Provide either template or scopes, not both"
	case hasTemplate:
		name, _ := template.(string)
		list, ok := managementKeyTemplates[name]
		if !ok {
			return nil, "Unsupported management key template: " + jsString(template)
		}
		return slices.Clone(list), ""
	case scopes == nil:
		return nil, "template or scopes is required when creating a management key"
	}
	return normalizeScopeInput(scopes)
}

func (s *Server) getManagementKey(c *call) reply {
	return s.withManagementKey(c, capManagementKeysRead, func(k *storedKey) reply {
		return reply{status: http.StatusOK, noStore: true, body: managementKeyGetBody(k.publicKey(s.version))}
	})
}

func (s *Server) deleteManagementKey(c *call) reply {
	return s.withManagementKey(c, capManagementKeysDelete, func(k *storedKey) reply {
		delete(s.keys, k.id)
		return replyDeleted
	})
}

// withManagementKey runs fn on the key named by the path, under the lock,
// after the checks of M3 and M5: capability, an id, a UUID (Postgres
// fails the query otherwise), a key of the caller's workspace.
func (s *Server) withManagementKey(c *call, capability string, fn func(*storedKey) reply) reply {
	return withRow(s, c, capability, managementKeyID, func(id string) (*storedKey, reply, bool) {
		return s.findManagementKeyLocked(c, id)
	}, fn)
}

// managementKeyID is parsePathId(url, "management-keys").
func managementKeyID(c *call) (string, reply, bool) {
	return pathID(c.id, "Management key id is required", "management-keys")
}

// pathID is the routes' parsePathId: the segment, unless it is one of
// reserved, percent-decoded (a malformed escape throws, which nothing
// catches) and trimmed; empty is a 400 with message.
func pathID(raw, message string, reserved ...string) (string, reply, bool) {
	if slices.Contains(reserved, raw) {
		return "", badRequest(message), false
	}
	id, err := url.PathUnescape(raw)
	if err != nil || !utf8.ValidString(id) {
		return "", replyUncaught, false
	}
	if id = jsTrim(id); id == "" {
		return "", badRequest(message), false
	}
	return id, reply{}, true
}

func (s *Server) findManagementKeyLocked(c *call, id string) (*storedKey, reply, bool) {
	canonical, ok := canonicalUUID(id)
	if !ok {
		return nil, internalError(), false // Postgres 22P02, caught as a 500
	}
	k := s.keys[canonical]
	if k == nil || k.teamID != c.p.workspace {
		return nil, notFound(msgManagementKeyNotFound), false
	}
	return k, reply{}, true
}
