# VPC over three availability zones, three tiers of subnets:
#   public  - the ALB and the NAT gateways only (no public IP on launch);
#   app     - ECS Fargate tasks (web, worker, beat, migrate), egress via NAT;
#   data    - RDS and ElastiCache, no route to the internet at all.

locals {
  az_count = length(var.azs)
  # /20 per subnet out of a /16: public 0-2, app 3-5, data 6-8.
  public_cidrs = [for i in range(local.az_count) : cidrsubnet(var.cidr, 4, i)]
  app_cidrs    = [for i in range(local.az_count) : cidrsubnet(var.cidr, 4, i + 3)]
  data_cidrs   = [for i in range(local.az_count) : cidrsubnet(var.cidr, 4, i + 6)]
  nat_count    = var.single_nat_gateway ? 1 : local.az_count
}

resource "aws_vpc" "main" {
  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(var.tags, { Name = var.name })
}

# Take over the default security group and leave it without rules, so that
# nothing can be attached to it by mistake and get open traffic.
resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
  tags   = merge(var.tags, { Name = "${var.name}-default-unused" })
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
  tags   = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  count                   = local.az_count
  vpc_id                  = aws_vpc.main.id
  cidr_block              = local.public_cidrs[count.index]
  availability_zone       = var.azs[count.index]
  map_public_ip_on_launch = false
  tags                    = merge(var.tags, { Name = "${var.name}-public-${var.azs[count.index]}", Tier = "public" })
}

resource "aws_subnet" "app" {
  count             = local.az_count
  vpc_id            = aws_vpc.main.id
  cidr_block        = local.app_cidrs[count.index]
  availability_zone = var.azs[count.index]
  tags              = merge(var.tags, { Name = "${var.name}-app-${var.azs[count.index]}", Tier = "app" })
}

resource "aws_subnet" "data" {
  count             = local.az_count
  vpc_id            = aws_vpc.main.id
  cidr_block        = local.data_cidrs[count.index]
  availability_zone = var.azs[count.index]
  tags              = merge(var.tags, { Name = "${var.name}-data-${var.azs[count.index]}", Tier = "data" })
}

# Network ACLs: the public and app tiers rely on security groups (stateful,
# per service) and their NACL lets everything through; the data tier's NACL
# additionally only accepts traffic from inside the VPC.
resource "aws_network_acl" "public_app" {
  #checkov:skip=CKV_AWS_229:NACLs are stateless: the return traffic of connections leaving through the NAT gateways arrives on any port 1024-65535, so no port can be closed to 0.0.0.0/0 here; inbound filtering is done by the security groups (only the ALB accepts 80/443)
  #checkov:skip=CKV_AWS_230:NACLs are stateless: the return traffic of connections leaving through the NAT gateways arrives on any port 1024-65535, so no port can be closed to 0.0.0.0/0 here; inbound filtering is done by the security groups (only the ALB accepts 80/443)
  #checkov:skip=CKV_AWS_231:NACLs are stateless: the return traffic of connections leaving through the NAT gateways arrives on any port 1024-65535, so no port can be closed to 0.0.0.0/0 here; inbound filtering is done by the security groups (only the ALB accepts 80/443)
  #checkov:skip=CKV_AWS_232:NACLs are stateless: the return traffic of connections leaving through the NAT gateways arrives on any port 1024-65535, so no port can be closed to 0.0.0.0/0 here; inbound filtering is done by the security groups (only the ALB accepts 80/443)
  vpc_id     = aws_vpc.main.id
  subnet_ids = concat(aws_subnet.public[*].id, aws_subnet.app[*].id)

  ingress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  egress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  tags = merge(var.tags, { Name = "${var.name}-public-app" })
}

resource "aws_network_acl" "data" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = aws_subnet.data[*].id

  ingress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = var.cidr
    from_port  = 0
    to_port    = 0
  }

  egress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = var.cidr
    from_port  = 0
    to_port    = 0
  }

  tags = merge(var.tags, { Name = "${var.name}-data" })
}

resource "aws_eip" "nat" {
  #checkov:skip=CKV2_AWS_19:these Elastic IPs belong to NAT gateways, not EC2 instances
  count  = local.nat_count
  domain = "vpc"
  tags   = merge(var.tags, { Name = "${var.name}-nat-${count.index}" })
}

resource "aws_nat_gateway" "main" {
  count         = local.nat_count
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
  tags          = merge(var.tags, { Name = "${var.name}-${var.azs[count.index]}" })
  depends_on    = [aws_internet_gateway.main]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
  tags = merge(var.tags, { Name = "${var.name}-public" })
}

resource "aws_route_table_association" "public" {
  count          = local.az_count
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

# One route table per AZ for the app tier, so that an AZ keeps its egress when
# another AZ's NAT gateway fails (production); staging shares one NAT gateway.
resource "aws_route_table" "app" {
  count  = local.az_count
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main[var.single_nat_gateway ? 0 : count.index].id
  }
  tags = merge(var.tags, { Name = "${var.name}-app-${var.azs[count.index]}" })
}

resource "aws_route_table_association" "app" {
  count          = local.az_count
  subnet_id      = aws_subnet.app[count.index].id
  route_table_id = aws_route_table.app[count.index].id
}

# The data tier has no default route: databases never reach the internet.
resource "aws_route_table" "data" {
  vpc_id = aws_vpc.main.id
  tags   = merge(var.tags, { Name = "${var.name}-data" })
}

resource "aws_route_table_association" "data" {
  count          = local.az_count
  subnet_id      = aws_subnet.data[count.index].id
  route_table_id = aws_route_table.data.id
}

# S3 through a gateway endpoint: documents and exports traffic stays off the
# NAT gateways (cost) and off the internet.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.app[*].id
  tags              = merge(var.tags, { Name = "${var.name}-s3" })
}

# VPC flow logs (rejected and accepted) to CloudWatch Logs.
resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "/mbn/${var.name}/vpc-flow-logs"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "flow_logs_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  name               = "${var.name}-vpc-flow-logs"
  assume_role_policy = data.aws_iam_policy_document.flow_logs_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "flow_logs" {
  statement {
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams",
    ]
    resources = [
      aws_cloudwatch_log_group.flow_logs.arn,
      "${aws_cloudwatch_log_group.flow_logs.arn}:*",
    ]
  }
}

resource "aws_iam_role_policy" "flow_logs" {
  name   = "write-flow-logs"
  role   = aws_iam_role.flow_logs.id
  policy = data.aws_iam_policy_document.flow_logs.json
}

resource "aws_flow_log" "main" {
  vpc_id          = aws_vpc.main.id
  traffic_type    = "ALL"
  iam_role_arn    = aws_iam_role.flow_logs.arn
  log_destination = aws_cloudwatch_log_group.flow_logs.arn
  tags            = var.tags
}
