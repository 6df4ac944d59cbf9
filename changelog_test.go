package aistats

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// releaseHeading is a released section of CHANGELOG.md: "## [0.2.0] - 2026-12-02".
var releaseHeading = regexp.MustCompile(`(?m)^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$`)

// Version, CHANGELOG.md and the README must agree, so a release cannot bump
// one and forget another (CONTRIBUTING.md, "Cutting a release").
func TestVersionMatchesChangelog(t *testing.T) {
	b, err := os.ReadFile("CHANGELOG.md")
	require.NoError(t, err)
	changelog := string(b)

	unreleased := strings.Index(changelog, "\n## [Unreleased]\n")
	require.GreaterOrEqual(t, unreleased, 0, "CHANGELOG.md needs a \"## [Unreleased]\" section")

	releases := releaseHeading.FindAllStringSubmatch(changelog, -1)
	require.NotEmpty(t, releases, "CHANGELOG.md has no released section \"## [x.y.z] - YYYY-MM-DD\"")
	assert.Equal(t, releases[0][1], Version,
		"Version must equal the newest released section of CHANGELOG.md")
	assert.Less(t, unreleased, strings.Index(changelog, releases[0][0]),
		"[Unreleased] comes before the newest release")

	// Newest first, each dated, no version twice.
	var newer time.Time
	seen := map[string]bool{}
	for i, r := range releases {
		d, err := time.Parse(time.DateOnly, r[2])
		require.NoError(t, err, "date of %s", r[1])
		if i > 0 {
			assert.False(t, d.After(newer), "%s is dated after the release above it", r[1])
		}
		newer = d
		assert.False(t, seen[r[1]], "%s has two sections", r[1])
		seen[r[1]] = true
	}

	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	assert.Contains(t, string(readme), "(CHANGELOG.md)", "the README links the changelog")
}
