package dynamodb

import (
	"context"
	"fmt"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// CreateTableInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
type CreateTableInput struct {
	TableName                 *string
	KeySchema                 []KeySchemaElement
	AttributeDefinitions      []AttributeDefinition
	BillingMode               *string
	ProvisionedThroughput     *ProvisionedThroughput
	StreamSpecification       *StreamSpecification
	Tags                      []Tag
	DeletionProtectionEnabled *bool
	TableClass                *string
	SSESpecification          *SSESpecification

	// Refused: the simulator has no secondary indexes, warm or on-demand throughput settings,
	// or resource policies.
	GlobalSecondaryIndexes raw
	LocalSecondaryIndexes  raw
	OnDemandThroughput     raw
	WarmThroughput         raw
	ResourcePolicy         raw
}

// SSESpecification: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_SSESpecification.html
type SSESpecification struct {
	Enabled        *bool
	SSEType        *string
	KMSMasterKeyId *string
}

// CreateTableOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html#API_CreateTable_ResponseSyntax
type CreateTableOutput struct {
	TableDescription TableDescription
}

// Billing modes and stream view types.
const (
	billingProvisioned   = "PROVISIONED"
	billingPayPerRequest = "PAY_PER_REQUEST"
)

var streamViewTypes = []string{"NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"}

// maxCapacityUnits is where AWS answers "Given value ... is out of bounds" (dynalite's recording).
const maxCapacityUnits = 1000000000000

// CreateTable creates a table, CREATING for Config.CreateDelay, with a stream if asked.
func (s *Service) CreateTable(_ context.Context, in *CreateTableInput) (*CreateTableOutput, *awswire.Error) {
	var v validation
	v.tableName(in.TableName, "tableName")
	if in.AttributeDefinitions == nil {
		v.fail(nil, "attributeDefinitions", constraintNotNull)
	}
	if in.KeySchema == nil {
		v.fail(nil, "keySchema", constraintNotNull)
	} else if len(in.KeySchema) < 1 || len(in.KeySchema) > 2 {
		c := constraintMaxLen(2)
		if len(in.KeySchema) < 1 {
			c = constraintMinLen(1)
		}
		v.fail(fmt.Sprint(in.KeySchema), "keySchema", c)
	}
	for i, k := range in.KeySchema {
		kt := k.KeyType
		v.enum(&kt, fmt.Sprintf("keySchema.%d.member.keyType", i+1), "HASH", "RANGE")
	}
	for i, d := range in.AttributeDefinitions {
		at := d.AttributeType
		v.enum(&at, fmt.Sprintf("attributeDefinitions.%d.member.attributeType", i+1), "B", "N", "S")
	}
	v.enum(in.BillingMode, "billingMode", billingProvisioned, billingPayPerRequest)
	if in.StreamSpecification != nil {
		v.enum(in.StreamSpecification.StreamViewType, "streamSpecification.streamViewType", streamViewTypes...)
	}
	v.enum(in.TableClass, "tableClass", "STANDARD", "STANDARD_INFREQUENT_ACCESS")
	if e := v.err(); e != nil {
		return nil, e
	}
	if e := checkThroughput(deref(in.BillingMode), in.ProvisionedThroughput, true); e != nil {
		return nil, e
	}
	if e := checkKeySchema(in.KeySchema, in.AttributeDefinitions); e != nil {
		return nil, e
	}
	switch {
	case present(in.GlobalSecondaryIndexes), present(in.LocalSecondaryIndexes):
		return nil, errUnsupported("Secondary indexes (GlobalSecondaryIndexes, LocalSecondaryIndexes)")
	case present(in.OnDemandThroughput), present(in.WarmThroughput):
		return nil, errUnsupported("OnDemandThroughput and WarmThroughput")
	case present(in.ResourcePolicy):
		return nil, errUnsupported("ResourcePolicy")
	case in.SSESpecification != nil && derefBool(in.SSESpecification.Enabled):
		return nil, errUnsupported("SSESpecification with Enabled true (a KMS key)")
	}
	viewType, e := streamRequest(in.StreamSpecification)
	if e != nil {
		return nil, e
	}
	if e := checkTags(in.Tags); e != nil {
		return nil, e
	}

	now := s.nowMS()
	t := &tableRec{
		Name: *in.TableName, ID: awswire.NewUUID(), KeySchema: in.KeySchema, AttributeDefinitions: in.AttributeDefinitions,
		BillingMode: billingProvisioned, Status: statusCreating, DueMS: now + s.cfg.CreateDelay.Milliseconds(),
		CreatedMS: now, DeletionProtection: derefBool(in.DeletionProtectionEnabled), TableClass: deref(in.TableClass),
		Tags: in.Tags,
	}
	if s.cfg.CreateDelay == 0 {
		t.Status, t.DueMS = statusActive, 0
	}
	if deref(in.BillingMode) == billingPayPerRequest {
		t.BillingMode, t.PayPerRequestMS = billingPayPerRequest, now
	} else {
		t.RCU, t.WCU = *in.ProvisionedThroughput.ReadCapacityUnits, *in.ProvisionedThroughput.WriteCapacityUnits
	}
	var out TableDescription
	e = s.update(func(tx *store.Tx) *awswire.Error {
		old := &tableRec{}
		if err := tx.Get(bucketTables, t.Name, old); err == nil {
			if old.statusAt(now) != "" {
				return errTableExists(t.Name)
			}
			// A deletion that completed but was not cleaned up yet.
			if err := s.removeTable(tx, old); err != nil {
				return errInternal(err)
			}
		}
		if viewType != "" {
			if err := s.enableStream(tx, t, viewType, now, t.DueMS); err != nil {
				return errInternal(err)
			}
		}
		if err := tx.Put(bucketTables, t.Name, t); err != nil {
			return errInternal(err)
		}
		out = s.describe(t, countRec{}, now)
		return nil
	})
	if e != nil {
		return nil, e
	}
	s.log.Info("table created", "table", t.Name, "stream", t.LatestStreamARN)
	return &CreateTableOutput{TableDescription: out}, nil
}

// checkThroughput validates BillingMode and ProvisionedThroughput together (creating: a table
// without BillingMode is PROVISIONED and needs both capacities).
func checkThroughput(billing string, pt *ProvisionedThroughput, creating bool) *awswire.Error {
	if pt != nil {
		var v validation
		for _, c := range []struct {
			member string
			n      *int64
		}{{"provisionedThroughput.readCapacityUnits", pt.ReadCapacityUnits}, {"provisionedThroughput.writeCapacityUnits", pt.WriteCapacityUnits}} {
			if c.n == nil {
				v.fail(nil, c.member, constraintNotNull)
			} else if *c.n < 1 {
				v.fail(c.n, c.member, "Member must have value greater than or equal to 1")
			}
		}
		if e := v.err(); e != nil {
			return e
		}
	}
	if billing == billingPayPerRequest {
		if pt != nil {
			return errValidation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
		return nil
	}
	if pt == nil {
		if creating {
			return errValidation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
		}
		return nil
	}
	if *pt.ReadCapacityUnits > maxCapacityUnits {
		return errValidation("Given value %d for ReadCapacityUnits is out of bounds", *pt.ReadCapacityUnits)
	}
	if *pt.WriteCapacityUnits > maxCapacityUnits {
		return errValidation("Given value %d for WriteCapacityUnits is out of bounds", *pt.WriteCapacityUnits)
	}
	return nil
}

// checkKeySchema validates a table's key schema against its attribute definitions, with the
// texts dynalite recorded.
func checkKeySchema(keys []KeySchemaElement, defs []AttributeDefinition) *awswire.Error {
	var keyNames, defNames []string
	for _, k := range keys {
		keyNames = append(keyNames, k.AttributeName)
	}
	for _, d := range defs {
		defNames = append(defNames, d.AttributeName)
	}
	if len(keyNames) > len(defNames) {
		return errValidation("Invalid KeySchema: Some index key attribute have no definition")
	}
	for _, k := range keyNames {
		found := false
		for _, d := range defNames {
			found = found || d == k
		}
		if !found {
			return errValidation("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [%s], AttributeDefinitions: [%s]",
				strings.Join(keyNames, ", "), strings.Join(defNames, ", "))
		}
	}
	if len(keyNames) == 2 && keyNames[0] == keyNames[1] {
		return errValidation("Both the Hash Key and the Range Key element in the KeySchema have the same name")
	}
	if keys[0].KeyType != "HASH" {
		return errValidation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
	}
	if len(keys) == 2 && keys[1].KeyType != "RANGE" {
		return errValidation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
	}
	if len(keys) != len(defs) {
		return errValidation("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions")
	}
	return nil
}

// streamRequest reads a StreamSpecification: the view type of a stream to enable, or "".
func streamRequest(spec *StreamSpecification) (string, *awswire.Error) {
	if spec == nil || !derefBool(spec.StreamEnabled) {
		return "", nil
	}
	if spec.StreamViewType == nil {
		// ours: AWS's text for an enabled stream without a view type was not found.
		return "", errValidation("One or more parameter values were invalid: StreamViewType must be specified when StreamEnabled is true")
	}
	return *spec.StreamViewType, nil
}

// describe is DescribeTable's view of a table at nowMS.
func (s *Service) describe(t *tableRec, c countRec, nowMS int64) TableDescription {
	d := TableDescription{
		AttributeDefinitions:      t.AttributeDefinitions,
		CreationDateTime:          timestamp(t.CreatedMS),
		DeletionProtectionEnabled: t.DeletionProtection,
		ItemCount:                 c.Items,
		KeySchema:                 t.KeySchema,
		LatestStreamArn:           t.LatestStreamARN,
		LatestStreamLabel:         t.LatestStreamLabel,
		ProvisionedThroughput: ProvisionedThroughputDescription{
			ReadCapacityUnits: t.RCU, WriteCapacityUnits: t.WCU,
			LastIncreaseDateTime: timestampPtr(t.LastIncreaseMS), LastDecreaseDateTime: timestampPtr(t.LastDecreaseMS),
		},
		TableArn:       s.tableARN(t.Name),
		TableId:        t.ID,
		TableName:      t.Name,
		TableSizeBytes: c.Bytes,
		TableStatus:    t.statusAt(nowMS),
	}
	if d.TableStatus == "" {
		d.TableStatus = statusDeleting
	}
	if t.BillingMode == billingPayPerRequest {
		d.BillingModeSummary = &BillingModeSummary{BillingMode: billingPayPerRequest, LastUpdateToPayPerRequestDateTime: timestampPtr(t.PayPerRequestMS)}
	}
	if t.StreamEnabled {
		vt := t.StreamViewType
		d.StreamSpecification = &StreamSpecification{StreamEnabled: new(true), StreamViewType: &vt}
	}
	if t.TableClass != "" {
		d.TableClassSummary = &TableClassSummary{TableClass: t.TableClass}
	}
	return d
}

// DescribeTableInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html
type DescribeTableInput struct {
	TableName *string
}

// DescribeTableOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html#API_DescribeTable_ResponseSyntax
type DescribeTableOutput struct {
	Table TableDescription
}

// DescribeTable describes a table, including its item count and size (kept exact, where AWS
// refreshes them about every six hours).
func (s *Service) DescribeTable(_ context.Context, in *DescribeTableInput) (*DescribeTableOutput, *awswire.Error) {
	if e := s.checkTableRef(in.TableName); e != nil {
		return nil, e
	}
	var out DescribeTableOutput
	e := s.view(func(tx *store.Tx) *awswire.Error {
		now := s.nowMS()
		t, err := getTable(tx, s.resolveTableName(*in.TableName), now)
		if err != nil {
			return errInternal(err)
		}
		if t == nil {
			return errTableNotFoundNamed(*in.TableName)
		}
		c, err := getCounts(tx, t.ID)
		if err != nil {
			return errInternal(err)
		}
		out.Table = s.describe(t, c, now)
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &out, nil
}

// checkTableRef validates a TableName member, which may also be a table ARN.
func (s *Service) checkTableRef(name *string) *awswire.Error {
	var v validation
	v.tableRef(name)
	return v.err()
}

// resolveTableName accepts a table's name or ARN, as TableName members do.
func (s *Service) resolveTableName(name string) string {
	if n, ok := s.tableFromARN(name); ok {
		return n
	}
	return name
}

// ListTablesInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html
type ListTablesInput struct {
	ExclusiveStartTableName *string
	Limit                   *int32
}

// ListTablesOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html#API_ListTables_ResponseSyntax
type ListTablesOutput struct {
	TableNames             []string
	LastEvaluatedTableName *string `json:",omitempty"`
}

// ListTables lists table names in order, up to Limit (1-100, default 100).
func (s *Service) ListTables(_ context.Context, in *ListTablesInput) (*ListTablesOutput, *awswire.Error) {
	var v validation
	v.optionalTableName(in.ExclusiveStartTableName, "exclusiveStartTableName")
	v.intRange(in.Limit, "limit", 1, 100)
	if e := v.err(); e != nil {
		return nil, e
	}
	limit := 100
	if in.Limit != nil {
		limit = int(*in.Limit)
	}
	out := &ListTablesOutput{TableNames: []string{}}
	e := s.view(func(tx *store.Tx) *awswire.Error {
		now := s.nowMS()
		more := false
		err := tx.ForEachAfter(bucketTables, deref(in.ExclusiveStartTableName), func(name string, value []byte) error {
			t, err := getTable(tx, name, now)
			if err != nil || t == nil {
				return err
			}
			if len(out.TableNames) == limit {
				more = true
				return store.ErrStop
			}
			out.TableNames = append(out.TableNames, name)
			return nil
		})
		if err != nil {
			return errInternal(err)
		}
		if more {
			last := out.TableNames[len(out.TableNames)-1]
			out.LastEvaluatedTableName = &last
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// UpdateTableInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
type UpdateTableInput struct {
	TableName                 *string
	BillingMode               *string
	ProvisionedThroughput     *ProvisionedThroughput
	StreamSpecification       *StreamSpecification
	DeletionProtectionEnabled *bool
	TableClass                *string

	// Refused (not simulated).
	AttributeDefinitions        raw
	GlobalSecondaryIndexUpdates raw
	ReplicaUpdates              raw
	SSESpecification            raw
	OnDemandThroughput          raw
	WarmThroughput              raw
	MultiRegionConsistency      raw
	GlobalTableWitnessUpdates   raw
}

// UpdateTableOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html#API_UpdateTable_ResponseSyntax
type UpdateTableOutput struct {
	TableDescription TableDescription
}

// UpdateTable changes billing, throughput, deletion protection, table class or the stream. A
// stream is enabled as a new stream (new ARN and label); disabling closes its open shard and
// keeps it readable, DISABLED, for 24 hours. The table is UPDATING for Config.UpdateDelay.
func (s *Service) UpdateTable(_ context.Context, in *UpdateTableInput) (*UpdateTableOutput, *awswire.Error) {
	if e := s.checkTableRef(in.TableName); e != nil {
		return nil, e
	}
	var v validation
	v.enum(in.BillingMode, "billingMode", billingProvisioned, billingPayPerRequest)
	if in.StreamSpecification != nil {
		if in.StreamSpecification.StreamEnabled == nil {
			v.fail(nil, "streamSpecification.streamEnabled", constraintNotNull)
		}
		v.enum(in.StreamSpecification.StreamViewType, "streamSpecification.streamViewType", streamViewTypes...)
	}
	v.enum(in.TableClass, "tableClass", "STANDARD", "STANDARD_INFREQUENT_ACCESS")
	if e := v.err(); e != nil {
		return nil, e
	}
	for name, r := range map[string]raw{
		"AttributeDefinitions and GlobalSecondaryIndexUpdates (secondary indexes)": in.AttributeDefinitions,
		"GlobalSecondaryIndexUpdates (secondary indexes)":                          in.GlobalSecondaryIndexUpdates,
		"ReplicaUpdates (global tables)":                                           in.ReplicaUpdates,
		"SSESpecification":                                                         in.SSESpecification,
		"OnDemandThroughput and WarmThroughput":                                    in.OnDemandThroughput,
		"WarmThroughput":                                                           in.WarmThroughput,
		"MultiRegionConsistency and GlobalTableWitnessUpdates (global tables)":     in.MultiRegionConsistency,
		"GlobalTableWitnessUpdates (global tables)":                                in.GlobalTableWitnessUpdates,
	} {
		if present(r) {
			return nil, errUnsupported(name)
		}
	}
	if in.BillingMode == nil && in.ProvisionedThroughput == nil && in.StreamSpecification == nil &&
		in.DeletionProtectionEnabled == nil && in.TableClass == nil {
		// dynalite's recording; AWS has since added members to the list.
		return nil, errValidation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required")
	}
	var out TableDescription
	e := s.update(func(tx *store.Tx) *awswire.Error {
		now := s.nowMS()
		name := s.resolveTableName(*in.TableName)
		t, err := getTable(tx, name, now)
		if err != nil {
			return errInternal(err)
		}
		if t == nil {
			return errTableNotFoundNamed(name)
		}
		switch t.statusAt(now) {
		case statusCreating:
			return errTableInUse(name, "created")
		case statusUpdating:
			return errTableInUse(name, "updated")
		case statusDeleting:
			return errTableInUse(name, "deleted")
		}
		t.Status, t.DueMS = statusActive, 0
		due := now + s.cfg.UpdateDelay.Milliseconds()
		changed, e := s.applyTableUpdate(tx, t, in, now, due)
		if e != nil {
			return e
		}
		if changed && s.cfg.UpdateDelay > 0 {
			t.Status, t.DueMS = statusUpdating, due
		}
		if err := tx.Put(bucketTables, name, t); err != nil {
			return errInternal(err)
		}
		c, err := getCounts(tx, t.ID)
		if err != nil {
			return errInternal(err)
		}
		out = s.describe(t, c, now)
		return nil
	})
	if e != nil {
		return nil, e
	}
	return &UpdateTableOutput{TableDescription: out}, nil
}

// applyTableUpdate changes t as UpdateTable asks; changed reports a change that takes the table
// through UPDATING (billing, throughput, stream).
func (s *Service) applyTableUpdate(tx *store.Tx, t *tableRec, in *UpdateTableInput, now, due int64) (bool, *awswire.Error) {
	changed := false
	billing := t.BillingMode
	if in.BillingMode != nil {
		billing = *in.BillingMode
	}
	if e := checkThroughput(billing, in.ProvisionedThroughput, false); e != nil {
		return false, e
	}
	if deref(in.BillingMode) == billingProvisioned && in.ProvisionedThroughput == nil {
		return false, errValidation("One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED")
	}
	if pt := in.ProvisionedThroughput; pt != nil {
		r, w := *pt.ReadCapacityUnits, *pt.WriteCapacityUnits
		if t.BillingMode == billingProvisioned && r == t.RCU && w == t.WCU {
			return false, errValidation("The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: %d. Requested ReadCapacityUnits: %d. Current WriteCapacityUnits provisioned for the table: %d. Requested WriteCapacityUnits: %d. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
				t.RCU, r, t.WCU, w)
		}
		if r > t.RCU || w > t.WCU {
			t.LastIncreaseMS = now
		}
		if r < t.RCU || w < t.WCU {
			t.LastDecreaseMS = now
		}
		t.RCU, t.WCU = r, w
		changed = true
	}
	if billing != t.BillingMode {
		t.BillingMode = billing
		if billing == billingPayPerRequest {
			t.RCU, t.WCU, t.PayPerRequestMS = 0, 0, now
		}
		changed = true
	}
	if spec := in.StreamSpecification; spec != nil {
		if *spec.StreamEnabled {
			viewType, e := streamRequest(spec)
			if e != nil {
				return false, e
			}
			if t.StreamEnabled {
				// "You receive a ValidationException if you try to enable a stream on a table that
				// already has a stream" (Streams.html); text ours-ish, as AWS tools quote it.
				return false, errValidation("Table already has an enabled stream: TableName: %s", t.Name)
			}
			if err := s.enableStream(tx, t, viewType, now, due); err != nil {
				return false, errInternal(err)
			}
		} else {
			if !t.StreamEnabled {
				// Streams.html: a ValidationException; ours: the text.
				return false, errValidation("Table does not have a stream enabled: TableName: %s", t.Name)
			}
			if err := s.disableStream(tx, t, now, due); err != nil {
				return false, errInternal(err)
			}
		}
		changed = true
	}
	if in.DeletionProtectionEnabled != nil {
		t.DeletionProtection = *in.DeletionProtectionEnabled
	}
	if in.TableClass != nil {
		t.TableClass = *in.TableClass
	}
	return changed, nil
}

// DeleteTableInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html
type DeleteTableInput struct {
	TableName *string
}

// DeleteTableOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html#API_DeleteTable_ResponseSyntax
type DeleteTableOutput struct {
	TableDescription TableDescription
}

// DeleteTable makes the table DELETING for Config.DeleteDelay, then it is gone. Its items go at
// once (data-plane operations already answer ResourceNotFoundException); its stream is disabled
// and stays readable for 24 hours, as the DeleteTable reference describes.
func (s *Service) DeleteTable(_ context.Context, in *DeleteTableInput) (*DeleteTableOutput, *awswire.Error) {
	if e := s.checkTableRef(in.TableName); e != nil {
		return nil, e
	}
	var out TableDescription
	e := s.update(func(tx *store.Tx) *awswire.Error {
		now := s.nowMS()
		name := s.resolveTableName(*in.TableName)
		t, err := getTable(tx, name, now)
		if err != nil {
			return errInternal(err)
		}
		if t == nil {
			return errTableNotFoundNamed(name)
		}
		c, err := getCounts(tx, t.ID)
		if err != nil {
			return errInternal(err)
		}
		switch t.statusAt(now) {
		case statusCreating:
			return errTableInUse(name, "created")
		case statusUpdating:
			return errTableInUse(name, "updated")
		case statusDeleting:
			out = s.describe(t, c, now)
			return nil
		}
		if t.DeletionProtection {
			// The text AWS answers (quoted in nubo-db/dynoxide#46 and aws-bench#41).
			return errValidation("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.")
		}
		if t.StreamEnabled {
			if err := s.disableStream(tx, t, now, now+s.cfg.DeleteDelay.Milliseconds()); err != nil {
				return errInternal(err)
			}
		}
		t.Status, t.DueMS = statusDeleting, now+s.cfg.DeleteDelay.Milliseconds()
		if s.cfg.DeleteDelay == 0 {
			t.DueMS = now
		}
		out = s.describe(t, c, now)
		out.TableStatus = statusDeleting
		if err := tx.DeleteBucket(itemsBucket(t.ID)); err != nil {
			return errInternal(err)
		}
		if err := tx.Delete(bucketCounts, t.ID); err != nil {
			return errInternal(err)
		}
		if err := tx.Put(bucketTables, name, t); err != nil {
			return errInternal(err)
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	s.log.Info("table deleted", "table", out.TableName)
	return &DeleteTableOutput{TableDescription: out}, nil
}

// removeTable drops what remains of a table whose deletion completed.
func (s *Service) removeTable(tx *store.Tx, t *tableRec) error {
	if err := tx.DeleteBucket(itemsBucket(t.ID)); err != nil {
		return err
	}
	if err := tx.Delete(bucketCounts, t.ID); err != nil {
		return err
	}
	return tx.Delete(bucketTables, t.Name)
}
