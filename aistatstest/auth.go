package aistatstest

import (
	"net/http"
	"regexp"
	"strings"
)

// Reasons the auth guard gives in 401 bodies. The set is open on the real
// server; these are the ones the fake produces.
const (
	ReasonMissingHeader = "missing_or_invalid_authorization_header"
	ReasonInvalidFormat = "invalid_key_format"
	ReasonUnknownKey    = "key_not_found_or_revoked"
	ReasonInvalidSecret = "invalid_secret"
	// 2026-07 only.
	ReasonManagementKeyRequired = "management_key_required"
	ReasonKeySoftBlocked        = "key_soft_blocked"
	ReasonKeyExpired            = "key_expired"
	ReasonScopesRequired        = "management_key_scopes_required"
)

var kidPattern = regexp.MustCompile(`^[A-Za-z0-9]{6,64}$`)

// authorize is the 2026-03 gateway guard: the header must start with the
// exact, case-sensitive "Bearer ", then hold aistats_v1_sk_<kid>_<secret>
// for the server's own key. Keys created through the API are management
// keys, which this generation of the API does not accept.
func (s *Server) authorize(r *http.Request) (reply, bool) {
	reason := s.authFailure(authorizationHeader(r))
	if reason == "" {
		return reply{}, true
	}
	return reply{
		status:  http.StatusUnauthorized,
		body:    authErrorBody{Error: "unauthorised", Reason: reason, RequestID: newRequestID(s.clock())},
		compact: true,
		noStore: true,
	}, false
}

// authorizationHeader is Headers.get("authorization"): repeated headers
// joined with ", ".
func authorizationHeader(r *http.Request) string {
	return strings.Join(r.Header.Values("Authorization"), ", ")
}

func (s *Server) authFailure(header string) string {
	token, ok := bearerToken(header)
	if !ok {
		return ReasonMissingHeader
	}
	t, ok := parseToken(token)
	switch {
	case !ok || t.namespace != "aistats" || t.kind != "sk":
		return ReasonInvalidFormat
	case t.kid != s.kid:
		return ReasonUnknownKey
	case t.secret != s.secret:
		return ReasonInvalidSecret
	}
	return ""
}

// bearerToken takes the token out of "Bearer <token>": exact prefix,
// token trimmed and non-empty.
func bearerToken(header string) (string, bool) {
	rest, ok := strings.CutPrefix(header, "Bearer ")
	token := jsTrim(rest)
	return token, ok && token != ""
}

// token is a parsed <namespace>_v1_<kind>_<kid>_<secret> key.
type token struct{ namespace, kind, kid, secret string }

// parseToken is the server's parseV2: at least five "_"-separated parts,
// namespace aistats or phaseo, version v1, a kind, a 6-64 character
// alphanumeric kid, and a secret that may itself contain underscores.
func parseToken(text string) (token, bool) {
	parts := strings.Split(text, "_")
	if len(parts) < 5 || parts[0] != "aistats" && parts[0] != "phaseo" || parts[1] != "v1" || parts[2] == "" {
		return token{}, false
	}
	t := token{namespace: parts[0], kind: parts[2], kid: parts[3], secret: strings.Join(parts[4:], "_")}
	if t.secret == "" || !kidPattern.MatchString(t.kid) {
		return token{}, false
	}
	return t, true
}
