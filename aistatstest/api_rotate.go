package aistatstest

import (
	"bytes"
	"net/http"
	"time"
)

// POST /v1/keys/{id}/rotate (post-HEAD, contract §9.2), as the newest
// server source does it: a new, active key that keeps the old one's cost
// limits and soft-block, but not its expiry or pause (the server's insert
// copies neither), and optionally a deadline for the old one. Servers of
// the contract's HEAD lack the route; see WithoutRotation.

func (s *Server) rotateAPIKey(c *call) reply {
	id, rep, ok := c.requireID(capKeysWrite, apiKeyID)
	if !ok {
		return rep
	}
	body := map[string]any{} // the body is optional
	if len(bytes.TrimSpace(c.raw)) > 0 {
		v, err := parseJSONBody(c.raw)
		obj, isObject := v.(map[string]any)
		if err != nil || !isObject {
			return replyInvalidJSON
		}
		body = obj
	}
	previousExpires, ok := parseExpiry(nullish(body, "previous_key_expires_at", "previousKeyExpiresAt"))
	if !ok {
		return badRequest(msgBadExpiry)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.findAPIKeyLocked(c.p.workspace, id)
	if old == nil || old.isDeleted() {
		return notFound(msgAPIKeyNotFound)
	}
	if s.keyLimitReachedLocked(c.p.workspace) {
		return internalError()
	}
	name := old.name + " (rotated)"
	if n, ok := body["name"].(string); ok && jsTrim(n) != "" {
		name = jsTrim(n)
	}
	k, plaintext := s.newAPIKeyLocked(newUUID(), old.workspaceID, name, time.Time{})
	k.softBlocked, k.costNanos = old.softBlocked, old.costNanos // not expiresAt, not status
	s.insertAPIKeyLocked(k)
	// previous_key_expires_at ?? previousKeyExpiresAt: a null snake_case
	// field alone is not given; a given null clears the old key's expiry.
	if previousExpires.set {
		old.expiresAt = dbTimePtr(previousExpires.t)
	}
	return reply{status: http.StatusOK, noStore: true, body: rotatedAPIKeyBodyOf(k.publicKey(), plaintext, previousExpires.t)}
}
