// `h5dat show` of a stacked group (convert --layout stacked): what ls says of it, then its classes
// with their counts (the labels read a block at a time, so any number of rows is fine), most
// first, as many as the preview's lines hold, then its splits, then its members.
import type { Group } from "../h5/group";
import { listingLines, type ListedObject } from "../read/listing";
import { classCountsOf } from "../read/stacked-listing";
import { countText, counted, firstLines, wrapItems, type PreviewBounds } from "./preview-bounds";

/** The preview of a stacked group: classes with counts, splits, members. */
export async function stackedPreview(group: Group, facts: ListedObject, members: ListedObject[], bounds: PreviewBounds): Promise<{ kind: string; text: string; [key: string]: unknown }> {
  const listing = facts.stacked!;
  const { classes, unlabelled } = await classCountsOf(group);
  const items = classes.map((c) => `${c.name} ${countText(c.rows)}`);
  const { lines, shown } = wrapItems(items, { ...bounds, lines: Math.max(1, bounds.lines - 4) });
  const text = [
    `stacked: ${counted(listing.rows, "images")}, ${listing.storage === "fixed" ? `each [${listing.imageShape.join(", ")}]` : `storage ${listing.storage}`}; labels from ${listing.labelSource || "?"}${listing.resize ? `; resize ${listing.resize}` : ""}`,
    ...(classes.length === 0
      ? [`classes: none${unlabelled > 0 ? ` (${countText(unlabelled)} unlabelled)` : ""}`]
      : [`classes (${countText(classes.length)}${unlabelled > 0 ? `; ${countText(unlabelled)} unlabelled` : ""}):`, ...lines.map((line) => `  ${line}`)]),
    ...(shown < items.length ? [`  … ${counted(items.length - shown, "more classes")}`] : []),
    listing.splits.length > 0 ? `splits: ${listing.splits.map((s) => `${s.name} ${countText(s.rows)}`).join(", ")}${listing.splitRule ? ` (--split ${listing.splitRule}, seed ${listing.seed})` : " (from directories)"}` : "splits: none",
    ...firstLines(listingLines(members), bounds.lines, "members"),
  ];
  return { kind: "stacked", ...listing, classes, unlabelled, members: members.map((o) => o.path), text: text.join("\n") };
}
