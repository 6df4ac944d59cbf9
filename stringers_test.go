package aistats

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Results print as one readable, redacted line with %s and %v; go vet
// checks these Printf calls, so a result type that lost its String method
// would fail the build of this test.
func TestResultsPrintAsOneRedactedLine(t *testing.T) {
	t.Parallel()
	k := *julyMgmtKey()
	k.Name = "evil\nname\u202E"
	created := CreatedKey{Key: k, Secret: NewSecret(julyNewMK)}
	api := *julyAPIKey()
	createdAPI := CreatedAPIKey{APIKey: api, Secret: NewSecret(julySecret)}
	rotated := RotatedAPIKey{CreatedAPIKey: createdAPI, PreviousKeyExpiresAt: Ptr(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))}
	page := KeyPage{Keys: []*Key{&k}, Limit: 100, Total: -1}
	apiPage := APIKeyPage{Keys: []*APIKey{&api}, Limit: 100, Total: 7}

	// One format string, so every value goes through fmt's %s and %v paths.
	format := func(verb string, v any) string { return strings.TrimPrefix(fmt.Sprintf("x"+verb, v), "x") }
	outputs := []string{
		format("%s", k), format("%v", &k), format("%+v", k),
		format("%s", created), format("%v", &created),
		format("%s", api), format("%s", createdAPI), format("%v", &rotated),
		format("%s", page), format("%v", &apiPage),
	}
	fmt.Fprintf(io.Discard, "%s %s %s %s %s %s\n", k, created, api, createdAPI, rotated, page) // go vet checks these verbs
	for _, out := range outputs {
		assertOnePrintableLine(t, out)
		assert.NotContains(t, out, julyNewMK)
		assert.NotContains(t, out, julySecret)
		assert.True(t, strings.HasPrefix(out, "aistats."), out)
	}
	assert.Equal(t, `aistats.Key{ID: `+julyMgmtID+`, Name: "evil\nname\u202e", Status: active, Prefix: Hk29sd, `+
		`Scopes: [keys:read keys:write keys:delete], WorkspaceID: `+julyWS+`, CreatedAt: 2026-08-20T10:11:12Z, ExpiresAt: 2027-01-01T00:00:00Z}`,
		outputs[0])
	assert.Contains(t, outputs[3], "Secret: phaseo_v1_mk_Zz81ab…}")
	assert.Contains(t, outputs[5], "Limit: $25/monthly")
	assert.Contains(t, outputs[7], "Secret: phaseo_v1_sk_Q7xk2P…, PreviousKeyExpiresAt: 2026-09-01T00:00:00Z}")
	assert.Equal(t, "aistats.KeyPage{Keys: 1, Limit: 100, Offset: 0, Total: -1}", outputs[8])
	// Each type names itself (a CreatedAPIKey used to print as aistats.APIKey{…}).
	for i, name := range map[int]string{0: "Key", 3: "CreatedKey", 4: "CreatedKey", 5: "APIKey", 6: "CreatedAPIKey", 7: "RotatedAPIKey", 9: "APIKeyPage"} {
		assert.True(t, strings.HasPrefix(outputs[i], "aistats."+name+"{"), "output %d: %s", i, outputs[i])
	}
}
