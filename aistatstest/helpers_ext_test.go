package aistatstest_test

// Helpers shared by the external (aistatstest_test) tests; the internal
// package's helpers are in helpers_test.go.

import "context"

var ctx = context.Background()
