package aistats

import (
	"fmt"
	"strings"
)

// APIVersion names a generation of the AI Stats (Phaseo) key-management
// API. The two differ in paths, envelopes, credentials and fields; the
// client speaks one, chosen when it is made.
type APIVersion string

const (
	// APIVersionMarch2026 is /v1/management/keys with {"ok": …} envelopes,
	// authenticated with an aistats_v1_sk_ key. The hosted service retired
	// it on 2026-04-29; self-hosted deployments of that era still answer it.
	APIVersionMarch2026 APIVersion = "2026-03"
	// APIVersionJuly2026 is /v1/management-keys (management keys) and
	// /v1/keys (API keys) with {"data": …} envelopes, authenticated with a
	// phaseo_v1_mk_ management key. The hosted service answers it today.
	APIVersionJuly2026 APIVersion = "2026-07"
)

// EnvAPIVersion may name the API version when WithAPIVersion is not given.
const EnvAPIVersion = "AI_STATS_API_VERSION"

func (v APIVersion) known() bool { return v == APIVersionMarch2026 || v == APIVersionJuly2026 }

func parseAPIVersion(field, s string) (APIVersion, error) {
	v := APIVersion(strings.TrimSpace(s))
	if !v.known() {
		return "", &ValidationError{Field: field, Problem: fmt.Sprintf("%q is not a known API version; want %q or %q",
			(*scrubber)(nil).serverText(string(v), lineText, 40), APIVersionJuly2026, APIVersionMarch2026)}
	}
	return v, nil
}

// versionForKey picks the version a credential can speak, with no request:
// only 2026-03 accepts aistats_ keys, and 2026-07 accepts everything else a
// caller is likely to hold (phaseo_v1_mk_ management keys, OAuth tokens).
func versionForKey(key string) APIVersion {
	if strings.HasPrefix(key, "aistats_") {
		return APIVersionMarch2026
	}
	return APIVersionJuly2026
}

// dialectFor returns the wire rules of a version.
func dialectFor(v APIVersion) dialect {
	if v == APIVersionMarch2026 {
		return march2026{}
	}
	return july2026{}
}
