package main

import (
	"testing"
)

// The example must run on a fresh machine: with no API key it uses the fake.
func TestRunsAgainstFake(t *testing.T) {
	t.Setenv("AI_STATS_API_KEY", "")
	t.Setenv("PHASEO_API_KEY", "")
	if err := run(""); err != nil {
		t.Fatal(err)
	}
}
