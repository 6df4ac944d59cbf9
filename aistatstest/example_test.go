package aistatstest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
)

func ExampleNewServer() {
	srv := aistatstest.NewServer()
	defer srv.Close()

	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	created, err := client.Keys.Create(ctx, &aistats.CreateKeyParams{
		Name:   "CI pipeline key",
		Scopes: aistats.Scopes{"read", "write"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", created.Name, created.Status)

	page, err := client.Keys.List(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, k := range page.Keys {
		fmt.Println("listed:", k.Name, k.Scopes, k.ID == created.ID)
	}
	// Output:
	// created: CI pipeline key active
	// listed: CI pipeline key read,write true
}

func ExampleServer_Inject() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	srv.SeedKeys(3)

	// The next two requests fail the way a struggling gateway does.
	srv.Inject(aistatstest.ServiceUnavailable(1))
	srv.Inject(aistatstest.RateLimited(1, "0"))

	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	page, err := client.Keys.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("keys:", len(page.Keys))
	for _, r := range srv.Requests() {
		fmt.Printf("#%d %s %s fault=%q\n", r.N, r.Method, r.Path, r.Fault)
	}
	// Output:
	// keys: 3
	// #1 GET /v1/management/keys fault="respond 503"
	// #2 GET /v1/management/keys fault="respond 429"
	// #3 GET /v1/management/keys fault=""
}

func ExampleServer_AddKey() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	// Seed a key the API itself would not create: the dashboard writes
	// "paused", and legacy keys store scopes as a comma list.
	key := srv.AddKey(aistatstest.KeySpec{Name: "legacy", Status: "paused", Scopes: "read,write"})

	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	got, err := client.Keys.Get(context.Background(), key.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Name, got.Status, got.Scopes, got.TeamID == srv.TeamID)
	// Output: legacy paused read,write true
}
