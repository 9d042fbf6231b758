// Command program is the executable of the Docker driver's test image: it runs the drivertest
// Program in its environment, or, for Exec, "print TEXT CODE", "sleep DURATION" and "dial HOST:PORT".
package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/fargohq/fargo/internal/runtime/drivertest"
)

func main() {
	if len(os.Args) > 1 {
		os.Exit(command(os.Args[1:]))
	}
	if code, ok := drivertest.RunProgram(); ok {
		os.Exit(code)
	}
	fmt.Fprintln(os.Stderr, "program: no", drivertest.ProgramEnv, "and no command")
	os.Exit(2)
}

func command(args []string) int {
	switch {
	case args[0] == "print" && len(args) == 3:
		fmt.Println(args[1])
		code, _ := strconv.Atoi(args[2])
		return code
	case args[0] == "sleep" && len(args) == 2:
		d, err := time.ParseDuration(args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		time.Sleep(d)
		return 0
	case args[0] == "dial" && len(args) == 2:
		c, err := net.DialTimeout("tcp", args[1], 5*time.Second)
		if err != nil {
			fmt.Println(err)
			return 1
		}
		defer c.Close()
		reply, _ := io.ReadAll(c)
		fmt.Print(string(reply))
		return 0
	}
	fmt.Fprintln(os.Stderr, "program: unknown command", args)
	return 2
}
