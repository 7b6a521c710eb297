CREATE TABLE "qa_questions" (
	"id" text PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"user_id" text,
	"chat_id" text,
	"region_code" text,
	"question" text NOT NULL,
	"normalized" text NOT NULL,
	"intent" text NOT NULL,
	"answer_kind" text NOT NULL,
	"item_id" text,
	"confidence" real,
	"feedback_type" integer,
	"feedback_reasons" jsonb,
	"feedback_content" text,
	"feedback_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "region_bindings" (
	"scope" text NOT NULL,
	"subject" text NOT NULL,
	"region_code" text NOT NULL,
	"bound_by" text NOT NULL,
	"bound_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "region_bindings_scope_subject_pk" PRIMARY KEY("scope","subject")
);
--> statement-breakpoint
CREATE INDEX "qa_questions_kind_idx" ON "qa_questions" USING btree ("answer_kind","created_at");