/** The Snapshot request of Tencent's "Submit job" page (inline parameters, a sprite sheet, a callback), as text. */
export const SEED_SNAPSHOT_PARAMS = {
  Input: { Object: 'input/demo.mp4' },
  Operation: {
    Snapshot: {
      Mode: 'Interval',
      Start: '1',
      TimeInterval: '2',
      Count: '10',
      SnapshotOutMode: 'SnapshotAndSprite',
      SpriteSnapshotConfig: { Color: 'Azure', Columns: '3', Lines: '2' },
    },
    Output: { Region: 'ap-chongqing', Bucket: 'test-123456789', Object: 'output/snapshot-${number}.jpg', SpriteObject: 'output/sprite-${number}.jpg' },
    UserData: 'This is my data.',
    JobLevel: '0',
  },
  CallBack: 'http://callback.demo.com',
  CallBackFormat: 'JSON',
};
