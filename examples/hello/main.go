package main

import (
	"context"
	"os"

	"github.com/fargohq/fargo/examples/hello/app"
)

func main() {
	os.Exit(app.Main(context.Background(), os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr))
}
