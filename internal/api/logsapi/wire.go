package logsapi

// Wire shapes of the CloudWatch Logs operations, with the botocore model's member names.
// Timestamps are epoch milliseconds (long), as CloudWatch Logs sends them. Scalars are
// pointers, as the model boxes them, also those that are always sent.

type describeLogGroupsInput struct {
	LogGroupNamePrefix  *string  `json:"logGroupNamePrefix"`
	LogGroupNamePattern *string  `json:"logGroupNamePattern"`
	LogGroupIdentifiers []string `json:"logGroupIdentifiers"`
	LogGroupClass       *string  `json:"logGroupClass"`
	NextToken           *string  `json:"nextToken"`
	Limit               *int32   `json:"limit"`
}

type describeLogGroupsOutput struct {
	LogGroups []wireLogGroup `json:"logGroups"`
	NextToken *string        `json:"nextToken,omitempty"`
}

type wireLogGroup struct {
	LogGroupName      string `json:"logGroupName"`
	CreationTime      *int64 `json:"creationTime"`
	RetentionInDays   *int32 `json:"retentionInDays,omitempty"`
	MetricFilterCount *int32 `json:"metricFilterCount"`
	// Arn ends in ":*", LogGroupArn does not, as CloudWatch sends them.
	Arn           string `json:"arn"`
	LogGroupArn   string `json:"logGroupArn"`
	StoredBytes   *int64 `json:"storedBytes"`
	LogGroupClass string `json:"logGroupClass"`
}

type describeLogStreamsInput struct {
	LogGroupName        *string `json:"logGroupName"`
	LogGroupIdentifier  *string `json:"logGroupIdentifier"`
	LogStreamNamePrefix *string `json:"logStreamNamePrefix"`
	OrderBy             *string `json:"orderBy"`
	Descending          *bool   `json:"descending"`
	NextToken           *string `json:"nextToken"`
	Limit               *int32  `json:"limit"`
}

type describeLogStreamsOutput struct {
	LogStreams []wireLogStream `json:"logStreams"`
	NextToken  *string         `json:"nextToken,omitempty"`
}

type wireLogStream struct {
	LogStreamName       string `json:"logStreamName"`
	CreationTime        *int64 `json:"creationTime"`
	FirstEventTimestamp *int64 `json:"firstEventTimestamp,omitempty"`
	LastEventTimestamp  *int64 `json:"lastEventTimestamp,omitempty"`
	LastIngestionTime   *int64 `json:"lastIngestionTime,omitempty"`
	Arn                 string `json:"arn"`
	StoredBytes         *int64 `json:"storedBytes"`
}

type getLogEventsInput struct {
	LogGroupName       *string `json:"logGroupName"`
	LogGroupIdentifier *string `json:"logGroupIdentifier"`
	LogStreamName      *string `json:"logStreamName"`
	StartTime          *int64  `json:"startTime"`
	EndTime            *int64  `json:"endTime"`
	NextToken          *string `json:"nextToken"`
	Limit              *int32  `json:"limit"`
	StartFromHead      *bool   `json:"startFromHead"`
}

type getLogEventsOutput struct {
	Events            []wireOutputEvent `json:"events"`
	NextForwardToken  string            `json:"nextForwardToken"`
	NextBackwardToken string            `json:"nextBackwardToken"`
}

type wireOutputEvent struct {
	Timestamp     *int64 `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime *int64 `json:"ingestionTime"`
}

type filterLogEventsInput struct {
	LogGroupName        *string  `json:"logGroupName"`
	LogGroupIdentifier  *string  `json:"logGroupIdentifier"`
	LogStreamNames      []string `json:"logStreamNames"`
	LogStreamNamePrefix *string  `json:"logStreamNamePrefix"`
	StartTime           *int64   `json:"startTime"`
	EndTime             *int64   `json:"endTime"`
	FilterPattern       *string  `json:"filterPattern"`
	NextToken           *string  `json:"nextToken"`
	Limit               *int32   `json:"limit"`
}

type filterLogEventsOutput struct {
	Events             []wireFilteredEvent  `json:"events"`
	SearchedLogStreams []wireSearchedStream `json:"searchedLogStreams"`
	NextToken          *string              `json:"nextToken,omitempty"`
}

type wireFilteredEvent struct {
	LogStreamName string `json:"logStreamName"`
	Timestamp     *int64 `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime *int64 `json:"ingestionTime"`
	EventID       string `json:"eventId"`
}

type wireSearchedStream struct {
	LogStreamName      string `json:"logStreamName"`
	SearchedCompletely *bool  `json:"searchedCompletely"`
}

type createLogGroupInput struct {
	LogGroupName              *string           `json:"logGroupName"`
	KmsKeyID                  *string           `json:"kmsKeyId"`
	Tags                      map[string]string `json:"tags"`
	LogGroupClass             *string           `json:"logGroupClass"`
	DeletionProtectionEnabled *bool             `json:"deletionProtectionEnabled"`
}

type logGroupNameInput struct {
	LogGroupName *string `json:"logGroupName"`
}

type logStreamNameInput struct {
	LogGroupName  *string `json:"logGroupName"`
	LogStreamName *string `json:"logStreamName"`
}

type putRetentionPolicyInput struct {
	LogGroupName    *string `json:"logGroupName"`
	RetentionInDays *int32  `json:"retentionInDays"`
}

type putLogEventsInput struct {
	LogGroupName  *string          `json:"logGroupName"`
	LogStreamName *string          `json:"logStreamName"`
	LogEvents     []wireInputEvent `json:"logEvents"`
	// SequenceToken is accepted and ignored, as CloudWatch does since 2023.
	SequenceToken *string `json:"sequenceToken"`
}

type wireInputEvent struct {
	Timestamp *int64  `json:"timestamp"`
	Message   *string `json:"message"`
}

type putLogEventsOutput struct {
	NextSequenceToken     string              `json:"nextSequenceToken"`
	RejectedLogEventsInfo *wireRejectedEvents `json:"rejectedLogEventsInfo,omitempty"`
}

type wireRejectedEvents struct {
	TooNewLogEventStartIndex *int32 `json:"tooNewLogEventStartIndex,omitempty"`
	TooOldLogEventEndIndex   *int32 `json:"tooOldLogEventEndIndex,omitempty"`
	ExpiredLogEventEndIndex  *int32 `json:"expiredLogEventEndIndex,omitempty"`
}
