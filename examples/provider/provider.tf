# Against the bundled local simulator, started with
#   terraform-provider-lambdatrigger simulator serve
# Every call goes to its endpoint, with dummy credentials and region us-east-1.
provider "lambdatrigger" {
  simulator {
    endpoint = "http://127.0.0.1:4566"
  }
}

# Against AWS: the standard credential chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO, instance roles...)
# and region, exactly as the AWS CLI and the AWS provider find them.
provider "lambdatrigger" {
  alias   = "aws"
  region  = "eu-west-1"
  profile = "dev"
}
