CREATE TABLE "catalog_contacts" (
	"id" text PRIMARY KEY NOT NULL,
	"region_code" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"phone" text,
	"hours" text,
	"example" boolean DEFAULT false NOT NULL,
	"sort" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_departments" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"aliases" jsonb NOT NULL,
	"level" text,
	"sort" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_item_departments" (
	"item_code" text NOT NULL,
	"department_id" text NOT NULL,
	"sort" integer NOT NULL,
	CONSTRAINT "catalog_item_departments_item_code_department_id_pk" PRIMARY KEY("item_code","department_id")
);
--> statement-breakpoint
CREATE TABLE "catalog_item_posts" (
	"item_code" text NOT NULL,
	"post_id" text NOT NULL,
	"origin" text NOT NULL,
	"sort" integer NOT NULL,
	CONSTRAINT "catalog_item_posts_item_code_post_id_origin_pk" PRIMARY KEY("item_code","post_id","origin")
);
--> statement-breakpoint
CREATE TABLE "catalog_items" (
	"code" text PRIMARY KEY NOT NULL,
	"list_id" text NOT NULL,
	"name" text NOT NULL,
	"aliases" jsonb NOT NULL,
	"category" text,
	"fields" jsonb NOT NULL,
	"basis" text,
	"source" jsonb NOT NULL,
	"source_note" text,
	"verified" boolean NOT NULL,
	"details_verified" boolean,
	"checks" jsonb NOT NULL,
	"related" jsonb NOT NULL,
	"note" text,
	"sort" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_lists" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"region_code" text NOT NULL,
	"official_size" integer,
	"official_categories" integer,
	"doc_number" text,
	"effective_date" date,
	"version" text NOT NULL,
	"source" jsonb NOT NULL,
	"verified" boolean NOT NULL,
	"note" text,
	"references" jsonb NOT NULL,
	"sort" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_posts" (
	"id" text PRIMARY KEY NOT NULL,
	"list_id" text NOT NULL,
	"name" text NOT NULL,
	"aliases" jsonb NOT NULL,
	"office" text,
	"duties" jsonb NOT NULL,
	"is_new" boolean DEFAULT false NOT NULL,
	"example_questions" jsonb NOT NULL,
	"source" jsonb NOT NULL,
	"verified" boolean NOT NULL,
	"duties_verified" jsonb,
	"note" text,
	"sort" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_regions" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"parent_code" text,
	"aliases" jsonb NOT NULL,
	"example" boolean DEFAULT false NOT NULL,
	"sort" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source" text NOT NULL,
	"note" text,
	"label" text NOT NULL,
	"counts" jsonb NOT NULL,
	"snapshot" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalog_contacts" ADD CONSTRAINT "catalog_contacts_region_code_catalog_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."catalog_regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_item_departments" ADD CONSTRAINT "catalog_item_departments_item_code_catalog_items_code_fk" FOREIGN KEY ("item_code") REFERENCES "public"."catalog_items"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_item_departments" ADD CONSTRAINT "catalog_item_departments_department_id_catalog_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."catalog_departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_item_posts" ADD CONSTRAINT "catalog_item_posts_item_code_catalog_items_code_fk" FOREIGN KEY ("item_code") REFERENCES "public"."catalog_items"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_item_posts" ADD CONSTRAINT "catalog_item_posts_post_id_catalog_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."catalog_posts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_items" ADD CONSTRAINT "catalog_items_list_id_catalog_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."catalog_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_lists" ADD CONSTRAINT "catalog_lists_region_code_catalog_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."catalog_regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_posts" ADD CONSTRAINT "catalog_posts_list_id_catalog_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."catalog_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "catalog_item_departments_dep_idx" ON "catalog_item_departments" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "catalog_item_posts_post_idx" ON "catalog_item_posts" USING btree ("post_id");--> statement-breakpoint
CREATE INDEX "catalog_items_list_idx" ON "catalog_items" USING btree ("list_id");--> statement-breakpoint
CREATE UNIQUE INDEX "catalog_lists_kind_region_idx" ON "catalog_lists" USING btree ("kind","region_code");--> statement-breakpoint
CREATE INDEX "catalog_regions_parent_idx" ON "catalog_regions" USING btree ("parent_code");