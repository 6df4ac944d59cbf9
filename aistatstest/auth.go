package aistatstest

import (
	"net/http"
	"regexp"
	"strings"
)

// Reasons the auth guard gives in 401 bodies.
const (
	ReasonMissingHeader = "missing_or_invalid_authorization_header"
	ReasonInvalidFormat = "invalid_key_format"
	ReasonUnknownKey    = "key_not_found_or_revoked"
	ReasonInvalidSecret = "invalid_secret"
)

var kidPattern = regexp.MustCompile(`^[A-Za-z0-9]{6,64}$`)

// authorize is the gateway's guard: the header must start with the exact,
// case-sensitive "Bearer ", then hold aistats_v1_sk_<kid>_<secret> for the
// server's own key. Keys created through the API are management keys,
// which this generation of the API does not accept.
func (s *Server) authorize(r *http.Request) (reply, bool) {
	// Headers.get joins repeated headers with ", ".
	reason := s.authFailure(strings.Join(r.Header.Values("Authorization"), ", "))
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

func (s *Server) authFailure(header string) string {
	rest, ok := strings.CutPrefix(header, "Bearer ")
	token := jsTrim(rest)
	if !ok || token == "" {
		return ReasonMissingHeader
	}
	kid, secret, ok := parseToken(token)
	switch {
	case !ok:
		return ReasonInvalidFormat
	case kid != s.kid:
		return ReasonUnknownKey
	case secret != s.secret:
		return ReasonInvalidSecret
	}
	return ""
}

// parseToken splits aistats_v1_sk_<kid>_<secret>; the secret may contain
// underscores.
func parseToken(token string) (kid, secret string, ok bool) {
	parts := strings.Split(token, "_")
	if len(parts) < 5 || parts[0] != "aistats" || parts[1] != "v1" || parts[2] != "sk" {
		return "", "", false
	}
	kid, secret = parts[3], strings.Join(parts[4:], "_")
	if secret == "" || !kidPattern.MatchString(kid) {
		return "", "", false
	}
	return kid, secret, true
}
