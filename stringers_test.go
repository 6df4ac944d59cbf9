package aistats

import (
	"fmt"
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

	outputs := []string{
		fmt.Sprintf("%s", k), fmt.Sprintf("%v", &k), fmt.Sprintf("%+v", k),
		fmt.Sprintf("%s", created), fmt.Sprintf("%v", &created),
		fmt.Sprintf("%s", api), fmt.Sprintf("%s", createdAPI), fmt.Sprintf("%v", &rotated),
		fmt.Sprintf("%s", page), fmt.Sprintf("%v", &apiPage),
	}
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
}
