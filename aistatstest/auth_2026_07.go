package aistatstest

import (
	"crypto/hmac"
	"net/http"
	"strings"
)

// principal is who a 2026-07 request authenticated as: a management key
// and, through it, a workspace and a capability list.
type principal struct {
	keyID, workspace string
	scopes           []string
}

// authorizeManagement is the 2026-07 guard (authenticateManagement). Only
// a phaseo_v1_mk_ key of an active, unexpired, not soft-blocked row with
// scopes passes; OAuth (JWTs and delegated keys) is not modelled, so every
// JWT and every sk key is told a management key is required.
func (s *Server) authorizeManagement(c *call) (reply, bool) {
	p, reason := s.authenticateManagement(authorizationHeader(c.r))
	if reason != "" {
		return reply{
			status:  http.StatusUnauthorized,
			body:    authErrorBodyOf("", reason, newRequestID(s.clock())),
			compact: true,
			noStore: true,
		}, false
	}
	c.p = p
	return reply{}, true
}

func (s *Server) authenticateManagement(header string) (*principal, string) {
	text, ok := bearerToken(header)
	if !ok {
		return nil, ReasonMissingHeader
	}
	t, ok := parseToken(text)
	switch {
	case !ok && looksLikeJWT(text):
		return nil, ReasonManagementKeyRequired
	case !ok:
		return nil, ReasonInvalidFormat
	case t.namespace != "phaseo" || t.kind != "mk":
		return nil, ReasonManagementKeyRequired
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var k *storedKey
	for _, row := range s.keys {
		if row.kid == t.kid {
			k = row
			break
		}
	}
	now := s.clock()
	switch {
	case k == nil || k.status != "active": // paused and compromised too
		return nil, ReasonUnknownKey
	case k.softBlocked:
		return nil, ReasonKeySoftBlocked
	case k.expiresAt != nil && !k.expiresAt.After(now):
		return nil, ReasonKeyExpired
	case !hmac.Equal([]byte(s.secretHash(t.secret)), []byte(k.secretHash)):
		return nil, ReasonInvalidSecret
	}
	scopes := parseStoredScopeList(k.scopes)
	if len(scopes) == 0 {
		return nil, ReasonScopesRequired
	}
	// The server records the use in the background; the fake does it
	// before answering, so the next request sees it.
	used := dbTime(now)
	k.lastUsedAt = &used
	return &principal{keyID: k.id, workspace: k.teamID, scopes: scopes}, ""
}

// looksLikeJWT: three non-empty dot-separated parts, and not one of the
// server's own key namespaces.
func looksLikeJWT(text string) bool {
	if strings.HasPrefix(text, "phaseo_") || strings.HasPrefix(text, "aistats_") {
		return false
	}
	parts := strings.Split(text, ".")
	return len(parts) == 3 && parts[0] != "" && parts[1] != "" && parts[2] != ""
}

// require is the route's capability check (403 insufficient_scope).
func (c *call) require(capability string) (reply, bool) {
	if missingScopes(c.p.scopes, []string{capability}) == nil {
		return reply{}, true
	}
	return errorReply(http.StatusForbidden, "insufficient_scope", "Token requires "+capability), false
}

// checkGrant refuses to hand out scopes the caller does not hold.
func (c *call) checkGrant(requested []string) (reply, bool) {
	missing := missingScopes(c.p.scopes, requested)
	if missing == nil {
		return reply{}, true
	}
	return errorReply(http.StatusForbidden, "insufficient_scope",
		"Token cannot grant scopes it does not have: "+strings.Join(missing, ", ")), false
}
