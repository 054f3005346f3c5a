package pattern_test

import (
	"fmt"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/pattern"
)

func Example() {
	p, err := pattern.Compile(`{
	  "source": ["aws.ec2"],
	  "detail": {"state": [{"anything-but": "pending"}], "cpu": [{"numeric": [">", 80]}]}
	}`)
	if err != nil {
		fmt.Println("Event pattern is not valid. Reason:", err)
		return
	}
	ok, _ := p.Match([]byte(`{"source": "aws.ec2", "detail": {"state": "running", "cpu": 91.5}}`))
	fmt.Println(ok)

	_, err = pattern.Compile(`{"source": []}`)
	fmt.Println("Event pattern is not valid. Reason:", err)
	// Output:
	// true
	// Event pattern is not valid. Reason: Empty arrays are not allowed (at "source")
}
