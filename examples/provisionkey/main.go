// Command provisionkey provisions an inference API key for a customer: a
// monthly USD spend limit and an expiry, then a rotation that gives the
// old key a grace period. It prints only redacted secrets; against a real
// account -out names a new file (mode 0600) for the rotated key's
// plaintext, the one the customer keeps.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/examples/internal/exampleenv"
)

func main() {
	customer := flag.String("customer", "acme-corp", "customer the key is for")
	limit := flag.Float64("limit", 50, "monthly spend limit in USD")
	out := flag.String("out", "", "new file to write the rotated key's plaintext to (mode 0600); required against a real account")
	flag.Parse()
	if err := run(*customer, *limit, *out); err != nil {
		fmt.Fprintln(os.Stderr, "provisionkey:", err)
		os.Exit(1)
	}
}

func run(customer string, limitUSD float64, out string) error {
	env, err := exampleenv.Open(0)
	if err != nil {
		return err
	}
	defer env.Close()
	secretFile, err := env.CreateSecretFile(out)
	if err != nil {
		return err
	}
	keep := false
	defer func() {
		if !keep {
			secretFile.Discard()
		}
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// A key for the customer: $limit a month, valid for 90 days.
	key, err := env.Client.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{
		Name:       customer + " production",
		Limit:      aistats.Ptr(limitUSD),
		LimitReset: aistats.LimitResetMonthly,
		ExpiresAt:  aistats.Ptr(time.Now().AddDate(0, 0, 90)),
	})
	if errors.Is(err, aistats.ErrUnknownOutcome) {
		return fmt.Errorf("%w (list API keys to see whether it was created)", err)
	}
	if err != nil {
		return err
	}
	fmt.Printf("created %s\n", key)

	// Rotate it: a new key with the same settings; the old one keeps
	// working for 24 hours while the customer switches over.
	rotated, err := env.Client.APIKeys.Rotate(ctx, key.ID, &aistats.RotateAPIKeyParams{
		PreviousKeyExpiresAt: aistats.Ptr(time.Now().Add(24 * time.Hour)),
	})
	var de *aistats.DecodeError
	if err != nil && !(errors.As(err, &de) && de.KeyCreated) {
		// No new key: the first one is the customer's, keep its secret.
		keep = true
		return errors.Join(err, secretFile.Save(key.Secret))
	}
	keep = true
	fmt.Printf("rotated to %s (secret %s)\n", rotated.ID, rotated.Secret)
	if rotated.PreviousKeyExpiresAt != nil {
		fmt.Printf("old key %s stops working at %s\n", key.ID, rotated.PreviousKeyExpiresAt.Format(time.RFC3339))
	}
	if serr := secretFile.Save(rotated.Secret); serr != nil {
		return errors.Join(err, serr)
	}
	return err
}
