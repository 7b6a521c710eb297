CREATE TABLE "inbound_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"msg_id" text,
	"type" text NOT NULL,
	"chat_id" text,
	"chat_type" text,
	"user_id" text,
	"text" text,
	"reply" jsonb,
	"handler_ms" integer,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" text NOT NULL,
	"method" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text NOT NULL,
	"errcode" integer,
	"errmsg" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "inbound_messages_received_idx" ON "inbound_messages" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "inbound_messages_chat_idx" ON "inbound_messages" USING btree ("chat_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_job_id_idx" ON "outbox" USING btree ("job_id");